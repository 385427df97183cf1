package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.SetupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeSelectionTest {
    @TempDir
    Path folder;

    @Test
    void processIsProcessAndAutoWithoutADockerfileIsProcess() {
        assertThat(RuntimeSelection.resolve("process", folder, false)).isEqualTo("process");
        assertThat(RuntimeSelection.resolve("auto", folder, false)).isEqualTo("process");
        assertThat(RuntimeSelection.resolve(null, folder, false)).isEqualTo("process");
    }

    @Test
    void autoWithADockerfileIsDockerExactlyWhenAnEngineAnswers() throws IOException {
        Files.writeString(folder.resolve("Dockerfile"), "FROM scratch\n");
        assertThat(RuntimeSelection.resolve("auto", folder, false))
                .isEqualTo(DockerEngine.answers() ? "docker" : "process");
        assertThat(RuntimeSelection.resolve("auto", folder, true))
                .as("a run: command means the learner runs processes, engine or not")
                .isEqualTo("process");
    }

    @Test
    void dockerNeedsADockerfileAndAnEngine() throws IOException {
        assertThatThrownBy(() -> RuntimeSelection.resolve("docker", folder, false))
                .isInstanceOf(SetupException.class)
                .hasMessage("no Dockerfile in " + folder.toAbsolutePath().normalize() + ": the docker runtime builds"
                        + " your server's image from it (add one, or use --runtime process)");
        Files.writeString(folder.resolve("Dockerfile"), "FROM scratch\n");
        if (DockerEngine.answers()) {
            assertThat(RuntimeSelection.resolve("docker", folder, false)).isEqualTo("docker");
        } else {
            assertThatThrownBy(() -> RuntimeSelection.resolve("docker", folder, false))
                    .isInstanceOf(SetupException.class)
                    .hasMessageStartingWith("no Docker engine answers (")
                    .hasMessageEndingWith("): start one, or use the process runtime: --runtime process"
                            + " (-Dclstr.runtime=process)");
        }
    }

    @Test
    void anUnknownRuntimeNamesTheKnownOnes() {
        assertThatThrownBy(() -> RuntimeSelection.resolve("podman", folder, false))
                .isInstanceOf(SetupException.class)
                .hasMessage("unknown runtime `podman`: use auto, docker or process");
    }
}
