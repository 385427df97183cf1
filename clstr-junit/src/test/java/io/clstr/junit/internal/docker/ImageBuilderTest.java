package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clstr.junit.SetupException;
import io.clstr.junit.internal.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image builds through the engine's API: the output is streamed to the live line while the build runs; a failed
 * build says why and shows the tail of its output.
 */
@RequiresDocker
class ImageBuilderTest {
    @TempDir
    Path folder;

    private final ImageBuilder builder = new ImageBuilder(DockerEngine.require().client());

    @Test
    void aFailedBuildReportsTheEnginesErrorAndTheTailOfTheOutput() throws IOException {
        Files.writeString(
                folder.resolve("Dockerfile"),
                "FROM " + ToxiproxyImage.BASE + "\n"
                        + "RUN { echo compiling; for i in $(seq 1 40); do echo line $i; done;"
                        + " echo 'main.go:3: undefined: x'; } >&2; exit 3\n");

        SetupException e = catchThrowableOfType(
                SetupException.class, () -> builder.build(folder, "clstr/test-failing-build:latest", Map.of()));

        assertThat(e.getMessage())
                .startsWith("the Docker image build failed: ")
                .contains("returned a non-zero code: 3");
        assertThat(e.detail())
                .hasSizeLessThanOrEqualTo(20)
                .contains("main.go:3: undefined: x", "line 40")
                .doesNotContain("compiling")
                .as("the engine's bookkeeping is left out")
                .noneMatch(l -> l.startsWith(" ---> ") || l.startsWith("Removing intermediate container"));
    }

    @Test
    void theBuildsOutputIsStreamedToTheLiveLineWhileItRuns() throws Exception {
        Files.writeString(
                folder.resolve("Dockerfile"),
                "FROM " + ToxiproxyImage.BASE + "\n"
                        + "RUN echo compiling part 1; sleep 1.5; echo compiling part 2; sleep 1.5; exit 3\n");
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean building = new AtomicBoolean(true);
        // samples what the live line would show, as LiveLine's ticker does
        Thread watcher = new Thread(() -> {
            while (building.get()) {
                Progress.current()
                        .filter(w -> w.what().equals("building image clstr/test-streamed-build:latest"))
                        .flatMap(Progress.Wait::latest)
                        .filter(l ->
                                seen.isEmpty() || !seen.get(seen.size() - 1).equals(l))
                        .ifPresent(seen::add);
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        });
        watcher.start();
        SetupException e;
        try {
            e = catchThrowableOfType(
                    SetupException.class, () -> builder.build(folder, "clstr/test-streamed-build:latest", Map.of()));
        } finally {
            building.set(false);
            watcher.join();
        }

        // each line lasts 1.5 s, so a sampler sees it; the steps' own lines may come and go between two samples
        assertThat(seen)
                .as("the lines the live line could show while the build ran, one after the other")
                .containsSubsequence("compiling part 1", "compiling part 2");
        assertThat(Progress.current()).as("the build's progress ends with it").isEmpty();
        assertThat(e.detail()).endsWith("compiling part 1", "compiling part 2");
    }

    @Test
    void aBaseImageThatCannotBePulledIsASetupProblemNamingTheImage() throws IOException {
        Files.writeString(folder.resolve("Dockerfile"), "FROM clstr/no-such-base-image:1\nCMD [\"true\"]\n");

        SetupException e = catchThrowableOfType(
                SetupException.class, () -> builder.build(folder, "clstr/test-unpullable:latest", Map.of()));

        assertThat(e.getMessage())
                .startsWith("the Docker image build failed: ")
                .endsWith("(not on this machine, and not pulled: clstr/no-such-base-image:1)");
    }

    @Test
    void aBuildTagsTheImageAndSendsOnlyWhatDockerignoreKeeps() throws IOException {
        Files.writeString(
                folder.resolve("Dockerfile"),
                "FROM " + ToxiproxyImage.BASE + "\nCOPY . /ctx/\n" + "RUN ls -A /ctx > /ctx.txt\n");
        Files.writeString(folder.resolve(".dockerignore"), "secret*\n");
        Files.writeString(folder.resolve("secret.key"), "no");
        Files.writeString(folder.resolve("app.txt"), "yes");
        Files.createDirectories(folder.resolve(".clstr/logs"));

        String id = builder.build(folder, "clstr/test-context:latest", Map.of("io.clstr.test", "yes"));

        var client = DockerEngine.require().client();
        assertThat(client.inspectImageCmd("clstr/test-context:latest").exec().getId())
                .isEqualTo(id);
        assertThat(client.inspectImageCmd(id).exec().getConfig().getLabels()).containsEntry("io.clstr.test", "yes");
        client.removeImageCmd("clstr/test-context:latest").withForce(true).exec();
    }
}
