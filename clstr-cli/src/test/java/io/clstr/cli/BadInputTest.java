package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input: the first line says what to fix, the exit code is the table's, there
 * is no stack trace and nothing is left running.
 */
class BadInputTest {

    @TempDir
    Path dir;

    private DemoFolder folder;

    @AfterEach
    void nothingLeftRunning() throws InterruptedException {
        if (folder != null) {
            folder.assertNothingRunning();
        }
    }

    private Cli.Result expectUsage(String... args) {
        Cli.Result r = Cli.run(dir, args);
        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.USAGE);
        NoStackTrace.assertClean(r);
        return r;
    }

    @Test
    void outsideAChallengeFolder() {
        for (String command : List.of("test", "next", "status", "logs", "guide")) {
            Cli.Result r = expectUsage(command);
            assertThat(r.firstErrLine())
                    .as(command)
                    .startsWith("no clstr.yaml in " + dir.toAbsolutePath().normalize())
                    .endsWith("run clstr in a challenge folder, or create one with `clstr init <challenge>`");
        }
    }

    @Test
    void unknownChallengeInClstrYaml() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");
        folder.writeYaml("challenge: nope\nstage: hello\n");

        assertThat(expectUsage("test").firstErrLine())
                .startsWith("clstr.yaml names an unknown challenge `nope`: choose one of ")
                .contains("demo");
    }

    @Test
    void unknownStageOnTheCommandLine() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");

        assertThat(expectUsage("test", "leader").firstErrLine())
                .isEqualTo("unknown stage `leader` of demo: stages are hello, echo");
    }

    @Test
    void unknownStageInClstrYaml() throws IOException {
        folder = DemoFolder.create(dir, "helo", "");

        assertThat(expectUsage("status").firstErrLine())
                .isEqualTo("clstr.yaml has stage `helo`, which is not a stage of demo: use one of hello, echo");
    }

    @Test
    void malformedClstrYaml() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");
        folder.writeYaml("challenge: demo\nstage: [hello\n");

        assertThat(expectUsage("test").firstErrLine()).startsWith("clstr.yaml is not valid YAML");
    }

    @Test
    void unknownKeyInClstrYaml() throws IOException {
        folder = DemoFolder.create(dir, "hello", "rn: ./server\n");

        assertThat(expectUsage("test").firstErrLine()).startsWith("clstr.yaml has an unknown key `rn`");
    }

    @Test
    void processRuntimeWithoutRunCommand() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");
        folder.writeYaml("challenge: demo\nstage: hello\nruntime: process\n");

        assertThat(expectUsage("test").firstErrLine()).startsWith("add a `run:` command to clstr.yaml");
        assertThat(expectUsage("test", "--runtime", "auto").firstErrLine()).startsWith("add a `run:` command");
    }

    @Test
    void dockerRuntimeNeedsADockerfile() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");

        assertThat(expectUsage("test", "--runtime", "docker").firstErrLine())
                .startsWith("no Dockerfile in ")
                .endsWith("(add one, or use --runtime process)");
    }

    @Test
    void unknownRuntime() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");

        assertThat(expectUsage("test", "--runtime", "podman").firstErrLine())
                .isEqualTo("unknown runtime `podman`: use auto, docker or process");
    }

    @Test
    void badPortRange() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");

        assertThat(expectUsage("test", "--ports", "lots").firstErrLine())
                .isEqualTo("bad --ports `lots`: give a range such as 20000-29999");
    }

    @Test
    void buildCommandThatFailsShowsTheTailOfItsOutput() throws IOException {
        folder = DemoFolder.create(dir, "hello", "build: sh build.sh\n");
        java.nio.file.Files.writeString(
                dir.resolve("build.sh"),
                "for i in $(seq 1 30); do echo compiling $i; done\necho 'main.go:3: undefined: foo' >&2\nexit 3\n");

        Cli.Result r = Cli.run(dir, "test");

        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.FAILED);
        assertThat(r.firstErrLine())
                .isEqualTo("the build command failed (exit code 3): fix what `sh build.sh`"
                        + " reports below (whole output: .clstr/build.log)");
        assertThat(r.err())
                .contains("  compiling 30\n", "  main.go:3: undefined: foo")
                .doesNotContain("compiling 10\n");
        assertThat(r.out()).doesNotContain("Testing");
        NoStackTrace.assertClean(r);
    }

    @Test
    void nodeThatNeverGetsHealthyShowsTheTailOfItsLog() throws IOException {
        folder = DemoFolder.create(dir, "hello", "env:\n  DEMO_HEALTH: never\n");

        Cli.Result r = Cli.run(dir, "test");

        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.FAILED);
        assertThat(r.out())
                .contains("✗ " + io.clstr.cli.run.ReportListener.CLUSTER_STARTUP)
                .contains("waiting for a database that never comes");
        assertThat(failureBlock(r.out())).containsIgnoringCase("n1").containsIgnoringCase("health");
        NoStackTrace.assertClean(r);
    }

    @Test
    void busyPortRange() throws IOException {
        folder = DemoFolder.create(dir, "hello", "");
        List<ServerSocket> taken = new ArrayList<>();
        try {
            int first = freeRange(4);
            for (int p = first; p < first + 4; p++) {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(p));
                taken.add(s);
            }
            Cli.Result r = Cli.run(dir, "test", "--ports", first + "-" + (first + 3));

            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.USAGE);
            assertThat(failureBlock(r.out())).startsWith("no free ports in");
            NoStackTrace.assertClean(r);
        } finally {
            for (ServerSocket s : taken) {
                s.close();
            }
        }
    }

    /** The first line of the failure block under a cross. */
    private static String failureBlock(String out) {
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("✗ ")) {
                return lines.stream()
                        .skip(i + 1)
                        .filter(l -> !l.isBlank())
                        .findFirst()
                        .orElse("")
                        .strip();
            }
        }
        return "";
    }

    /** The first port of {@code n} consecutive free ports between 30000 and 32000 (below the ephemeral range). */
    private static int freeRange(int n) throws IOException {
        for (int first = 30000; first < 32000; first += n) {
            if (free(first, n)) {
                return first;
            }
        }
        throw new IOException("no " + n + " free consecutive ports in 30000-32000");
    }

    private static boolean free(int first, int n) {
        for (int p = first; p < first + n; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(p));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
