package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.LineTail;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an image from a folder's Dockerfile through the engine's API (the classic builder: no BuildKit
 * needed). A failed build or pull throws {@link SetupException} (exit 2) with the last lines of the build's output.
 */
final class ImageBuilder {
    static final String DOCKERFILE = "Dockerfile";
    private static final int TAIL_LINES = 20;
    /** The colour codes the engine puts around what a RUN step prints to stderr. */
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

    private static final Pattern FROM = Pattern.compile(
            "^\\s*FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private final DockerClient client;

    ImageBuilder(DockerClient client) {
        this.client = client;
    }

    /** Builds {@code folder}'s Dockerfile, tags the image {@code tag} and returns the image's id. */
    String build(Path folder, String tag, Map<String, String> labels) {
        Path tar;
        try {
            tar = Files.createTempFile("clstr-build-context", ".tar");
            // a Ctrl-C ends the JVM during the build, before the finally below runs
            tar.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the build context", e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(tar)) {
                BuildContext.write(folder, DOCKERFILE, out);
            }
            Output output = new Output();
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
            if (output.error != null) {
                throw new SetupException(
                        "the Docker image build failed: " + output.error + missingBases(folder),
                        output.tail.tail(TAIL_LINES),
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

    /** Collects the build's output lines and its first error. */
    private static final class Output extends ResultCallback.Adapter<BuildResponseItem> {
        final LineTail tail = new LineTail(TAIL_LINES);
        volatile String error;

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.getStream() != null) {
                item.getStream()
                        .lines()
                        .map(l -> ANSI.matcher(l).replaceAll(""))
                        .filter(l -> !l.isBlank())
                        .forEach(tail::add);
            }
            if (item.isErrorIndicated()) {
                failed(
                        item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                                ? item.getErrorDetail().getMessage()
                                : item.getError());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            failed(EngineErrors.message(throwable));
            super.onError(throwable);
        }

        void failed(String message) {
            if (error == null) {
                error = message == null ? "unknown error" : EngineErrors.message(message);
            }
        }
    }
}
