package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an image from a folder's Dockerfile through the engine's API (the classic builder: no BuildKit
 * needed), its output streamed to the live line ({@link BuildOutput}). A failed build or pull throws
 * {@link SetupException} (exit 2) with the last lines of the build's output.
 */
final class ImageBuilder {
    static final String DOCKERFILE = "Dockerfile";
    private static final int TAIL_LINES = 20;

    private static final Pattern FROM = Pattern.compile(
            "^\\s*FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private final DockerClient client;

    ImageBuilder(DockerClient client) {
        this.client = client;
    }

    /**
     * Builds {@code folder}'s Dockerfile, tags the image {@code tag} and returns the image's id. Meanwhile the
     * run's {@link Progress} says {@code building image <tag>} with the build's latest output line.
     */
    String build(Path folder, String tag, Map<String, String> labels) {
        try (Progress.Work work = Progress.working("building image " + tag)) {
            return build(folder, tag, labels, work);
        }
    }

    private String build(Path folder, String tag, Map<String, String> labels, Progress.Work work) {
        Path tar;
        try {
            tar = Files.createTempFile("clstr-build-context", ".tar");
            // a Ctrl-C ends the JVM during the build, before the finally below runs
            tar.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the build context", e);
        }
        try {
            work.latest("packing the build context");
            try (OutputStream out = Files.newOutputStream(tar)) {
                BuildContext.write(folder, DOCKERFILE, out);
            }
            work.latest("sending the build context (" + size(Files.size(tar)) + ")");
            BuildOutput output = new BuildOutput(TAIL_LINES, work);
            try (InputStream in = Files.newInputStream(tar)) {
                client.buildImageCmd(in)
                        .withTags(Set.of(tag))
                        .withLabels(labels)
                        .withRemove(true)
                        .withForcerm(true)
                        .exec(output);
                output.awaitCompletion();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while building the image of " + folder);
            } catch (RuntimeException e) {
                output.failed(EngineErrors.message(e));
            }
            if (output.error() != null) {
                throw new SetupException(
                        "the Docker image build failed: " + output.error() + missingBases(folder),
                        output.tail(TAIL_LINES),
                        null);
            }
            return client.inspectImageCmd(tag).exec().getId();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send the build context of " + folder + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tar);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** {@code 12 kB}, {@code 3.4 MB}. */
    private static String size(long bytes) {
        return bytes < 1024 * 1024
                ? Math.max(1, (bytes + 1023) / 1024) + " kB"
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** A hint naming the Dockerfile's base images that are not on this machine, or nothing. */
    private String missingBases(Path folder) {
        List<String> missing = new ArrayList<>();
        try {
            String text = Files.readString(folder.resolve(DOCKERFILE), StandardCharsets.UTF_8);
            List<String> stages = new ArrayList<>();
            Matcher m = FROM.matcher(text);
            while (m.find()) {
                String image = m.group(1);
                if (!image.contains("$")
                        && !stages.contains(image.toLowerCase())
                        && !image.equals("scratch")
                        && !present(client, image)) {
                    missing.add(image);
                }
                if (m.group(2) != null) {
                    stages.add(m.group(2).toLowerCase());
                }
            }
        } catch (IOException e) {
            return "";
        }
        return missing.isEmpty() ? "" : " (not on this machine, and not pulled: " + String.join(", ", missing) + ")";
    }

    /** Whether the engine has {@code image} locally. */
    static boolean present(DockerClient client, String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
