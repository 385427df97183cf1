package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.cli.text.Terminal;
import io.clstr.junit.internal.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker image that cannot be built because its base cannot be pulled is a setup problem: exit
 * 2, the first line says what failed, and with a run: command the way around Docker. On a terminal
 * the live line shows the build's output as it comes. Runs where a Docker engine answers (CI);
 * skipped elsewhere.
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

    @Test
    void onATerminalTheLiveLineShowsTheBuildsOutputAsItComesAndAFailureShowsItsLastLines() throws Exception {
        Assumptions.assumeTrue(DockerEngine.answers(), "no Docker engine answers here");
        Assumptions.assumeTrue(
                DockerEngine.require()
                                .client()
                                .listImagesCmd()
                                .withImageNameFilter("clstr/java:17")
                                .exec()
                                .size()
                        > 0,
                "no clstr/java:17 base image (.ci/docker-images makes it)");
        DemoFolder.create(dir, "hello", "");
        // each line lasts 1.5 s, longer than the live line takes to show a line (a quarter of a second)
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM clstr/java:17\nRUN echo compiling part 1; sleep 1.5; echo compiling part 2; sleep 1.5;"
                        + " echo 'main.go:3: undefined: x' >&2; exit 3\n");

        Cli.Result live = Cli.run(dir, Terminal.interactive(), "test", "--runtime", "docker");

        assertThat(live.exitCode()).as(live.all()).isEqualTo(ExitCode.USAGE);
        assertThat(live.out())
                .as("the live line, in place (\\r, clear line), dimmed: elapsed, the image, the latest output line")
                .containsPattern("\r\u001b\\[K\u001b\\[2m⋯ \\d+\\.\\d s: building image clstr/challenge-[^ ]+…"
                        + " compiling part 1\u001b\\[0m")
                .containsPattern("⋯ \\d+\\.\\d s: building image clstr/challenge-[^ ]+… compiling part 2");
        assertThat(live.all())
                .contains("the Docker image build failed: ")
                .contains("    compiling part 1\n", "    compiling part 2\n", "    main.go:3: undefined: x\n")
                .doesNotContain(" ---> ");
        NoStackTrace.assertClean(live);

        Cli.Result plain = Cli.run(dir, Terminal.plain(), "test", "--runtime", "docker");

        assertThat(plain.exitCode()).as(plain.all()).isEqualTo(ExitCode.USAGE);
        assertThat(plain.all())
                .as("no live line where output is no terminal")
                .doesNotContain("building image", "\r", "\u001b")
                .contains("    main.go:3: undefined: x");
    }
}
