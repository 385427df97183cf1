package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C: clstr stops the cluster, says so, and exits with 130. */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void ctrlCCleansUpAndExits130() throws Exception {
        Path pidFile = dir.resolve("node.pid");
        DemoFolder demo =
                DemoFolder.create(dir, "hello", "env:\n  DEMO_SLOW_HELLO: \"60\"\n  DEMO_PID_FILE: " + pidFile + "\n");
        Path log = dir.resolve("clstr.log");
        // SIGINT is reset to its default first: a JVM started with it ignored (a background job of a
        // shell without job control) passes that on, and clstr could not be interrupted.
        Process clstr = new ProcessBuilder(List.of(
                        "/usr/bin/env",
                        "--default-signal=INT",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "test"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            awaitFile(pidFile, Duration.ofSeconds(60), clstr);
            new ProcessBuilder("kill", "-INT", Long.toString(clstr.pid()))
                    .start()
                    .waitFor();

            assertThat(clstr.waitFor(60, TimeUnit.SECONDS)).as("clstr ended").isTrue();
            assertThat(clstr.exitValue()).as(Files.readString(log)).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(Files.readString(log))
                    .contains("interrupted: stopping the cluster and cleaning up")
                    .doesNotContain("\tat ");
            demo.assertNothingRunning();
        } finally {
            clstr.descendants().forEach(ProcessHandle::destroyForcibly);
            clstr.destroyForcibly();
        }
    }

    /** Polls for {@code file} until {@code timeout}, failing early if {@code process} ends. */
    private static void awaitFile(Path file, Duration timeout, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            assertThat(process.isAlive()).as("clstr is still running").isTrue();
            assertThat(System.nanoTime()).as("%s appears", file).isLessThan(deadline);
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
    }
}
