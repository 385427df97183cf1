package io.clstr.junit.internal.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.Trees;
import io.clstr.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which image runs the Toxiproxy server: the configured one when it is on this machine or can be pulled.
 * When the default (the official image) cannot be pulled, {@link #LOCAL} stands in for it: clstr's embedded
 * server (which speaks the same API and takes the same {@code -host}, {@code -port} and {@code -seed} flags),
 * built here from the classes on this JVM's class path onto {@link #BASE}, and rebuilt only when they change.
 * The pull is tried once per JVM.
 */
final class ToxiproxyImage {
    /** The local substitute for the official image. */
    static final String LOCAL = "clstr/toxiproxy:local";
    /** The base image of {@link #LOCAL}: a Java 17 runtime, made by {@code .ci/docker-images}. */
    static final String BASE = "clstr/java:17";

    private static final String CONTENT_LABEL = "io.clstr.toxiproxy.content";
    private static final long PULL_TIMEOUT_SECONDS = 120;
    private static final String HOME = "/opt/clstr-toxiproxy/";
    private static final Object LOCK = new Object();
    /** Guarded by {@link #LOCK}: why the default image could not be pulled, once a pull failed in this JVM. */
    private static String defaultPullFailure;

    private final DockerClient client;

    ToxiproxyImage(DockerClient client) {
        this.client = client;
    }

    /** The image to run for {@code configured}, telling {@code notice} when the local substitute stands in. */
    String resolve(String configured, boolean isDefault, Consumer<String> notice) {
        if (configured.equals(LOCAL)) {
            return ensureLocal(notice);
        }
        synchronized (LOCK) {
            if (ImageBuilder.present(client, configured)) {
                return configured;
            }
            String failure = isDefault && defaultPullFailure != null ? defaultPullFailure : pull(configured);
            if (failure == null) {
                return configured;
            }
            if (!isDefault) {
                throw new SetupException("the Toxiproxy image " + configured + " is not on this machine and cannot be"
                        + " pulled (" + failure + "): pull or build it, or leave " + DockerOptions.TOXIPROXY_IMAGE
                        + " unset");
            }
            defaultPullFailure = failure;
        }
        notice.accept(configured + " cannot be pulled (" + defaultPullFailure + "); using " + LOCAL
                + ", clstr's embedded Toxiproxy server built on this machine, in its place");
        return ensureLocal(notice);
    }

    /** Builds {@link #LOCAL} unless an image of the same classes is there already; returns its name. */
    private String ensureLocal(Consumer<String> notice) {
        List<Path> classPath = classPath();
        synchronized (LOCK) {
            String base = imageId(BASE);
            String content = contentHash(classPath) + "-" + (base == null ? "none" : base.replace("sha256:", ""));
            if (content.equals(label(LOCAL))) {
                return LOCAL;
            }
            if (base == null) {
                throw new SetupException("the local Toxiproxy image needs the base image " + BASE + ", which is not on"
                        + " this machine: build it with .ci/docker-images (in a clone of clstr), or set "
                        + DockerOptions.TOXIPROXY_IMAGE + " to a Toxiproxy image you have");
            }
            notice.accept("building " + LOCAL + " from "
                    + classPath.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
            build(classPath, content);
            return LOCAL;
        }
    }

    private void build(List<Path> classPath, String content) {
        Path context;
        try {
            context = Files.createTempDirectory("clstr-toxiproxy-image");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the Toxiproxy image's build", e);
        }
        try {
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < classPath.size(); i++) {
                Path source = classPath.get(i);
                String name = i + "-" + source.getFileName();
                copy(source, context.resolve("lib").resolve(name));
                entries.add(HOME + name);
            }
            Files.writeString(context.resolve(ImageBuilder.DOCKERFILE), dockerfile(String.join(":", entries)));
            new ImageBuilder(client).build(context, LOCAL, Map.of(CONTENT_LABEL, content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Toxiproxy image's build: " + e.getMessage(), e);
        } finally {
            Trees.deleteQuietly(context);
        }
    }

    private static String dockerfile(String classPath) {
        return "FROM " + BASE + "\n"
                + "COPY lib/ " + HOME + "\n"
                + "EXPOSE " + ToxiproxyContainer.API_PORT + "\n"
                + "ENTRYPOINT [\"java\", \"-XX:+UseSerialGC\", \"-Xmx128m\", \"-Xss512k\", \"-XX:TieredStopAtLevel=1\","
                + " \"-XX:-UsePerfData\", \"-cp\", \"" + classPath + "\", \"io.clstr.toxiproxy.Main\"]\n"
                + "CMD [\"-host=0.0.0.0\", \"-port=" + ToxiproxyContainer.API_PORT + "\"]\n";
    }

    /** The jars (or class folders) of the embedded server and of Jackson, which it needs. */
    private static List<Path> classPath() {
        List<Path> paths = new ArrayList<>();
        for (Class<?> c : List.of(ToxiproxyServer.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class)) {
            try {
                Path p = Path.of(
                        c.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!paths.contains(p)) {
                    paths.add(p);
                }
            } catch (URISyntaxException | NullPointerException e) {
                throw new IllegalStateException(
                        "cannot locate the classes of " + c.getName() + " to build " + LOCAL, e);
            }
        }
        return paths;
    }

    /** A hash of the classes' names and bytes (not of the jars' own bytes, which change with every rebuild). */
    private static String contentHash(List<Path> classPath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path root : classPath) {
                if (Files.isRegularFile(root)) {
                    hashJar(root, digest);
                    continue;
                }
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f :
                            (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        digest.update(root.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                        digest.update(Files.readAllBytes(f));
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Toxiproxy server's classes: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hashJar(Path jar, MessageDigest digest) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = zip.stream()
                    .filter(e -> !e.isDirectory())
                    .sorted(Comparator.comparing(ZipEntry::getName))
                    .toList();
            for (ZipEntry entry : entries) {
                digest.update(entry.getName().getBytes(StandardCharsets.UTF_8));
                try (InputStream in = zip.getInputStream(entry)) {
                    digest.update(in.readAllBytes());
                }
            }
        }
    }

    /** Pulls {@code image}; returns null on success, else why it failed. */
    private String pull(String image) {
        try {
            boolean done = client.pullImageCmd(image)
                    .exec(new PullImageResultCallback())
                    .awaitCompletion(PULL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return done && ImageBuilder.present(client, image)
                    ? null
                    : "no answer within " + PULL_TIMEOUT_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return EngineErrors.message(e);
        }
    }

    /** The image's id, or null when it is not on this machine. */
    private String imageId(String image) {
        try {
            return client.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private String label(String image) {
        try {
            Map<String, String> labels =
                    client.inspectImageCmd(image).exec().getConfig().getLabels();
            return labels == null ? null : labels.get(CONTENT_LABEL);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
