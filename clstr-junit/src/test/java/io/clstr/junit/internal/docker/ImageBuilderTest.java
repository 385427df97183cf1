package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clstr.junit.SetupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image builds through the engine's API: a failed build says why and shows the tail of its output. */
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
                .doesNotContain("compiling");
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
