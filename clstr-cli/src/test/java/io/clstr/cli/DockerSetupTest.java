package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.internal.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker image that cannot be built because its base cannot be pulled is a setup problem: exit
 * 2, the first line says what failed, and with a run: command the way around Docker. Runs where a
 * Docker engine answers (CI); skipped elsewhere.
 */
class DockerSetupTest {

    @TempDir
    Path dir;

    @Test
    void anImageWhoseBaseCannotBePulledExits2AndSuggestsTheProcessRuntime() throws Exception {
        Assumptions.assumeTrue(DockerEngine.answers(), "no Docker engine answers here");
        DemoFolder.create(dir, "hello", "");
        Files.writeString(dir.resolve("Dockerfile"), "FROM clstr/no-such-base-image:1\nCMD [\"true\"]\n");

        Cli.Result r = Cli.run(dir, "test", "--runtime", "docker");

        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.USAGE);
        assertThat(r.all())
                .contains("the Docker image build failed: ")
                .contains("not pulled: clstr/no-such-base-image:1")
                .contains("--runtime process");
        NoStackTrace.assertClean(r);
    }
}
