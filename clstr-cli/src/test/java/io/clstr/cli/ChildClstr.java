package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** {@code clstr test} in a child JVM, as the interruption tests start, watch and interrupt it. */
final class ChildClstr {

    private ChildClstr() {}

    /**
     * Starts {@code clstr test} in {@code folder} with {@code tmp} as its {@code java.io.tmpdir} and its
     * output in {@code log}. SIGINT is reset to its default first: a JVM started with it ignored (a
     * background job of a shell without job control) passes that on, and clstr could not be interrupted.
     */
    static Process start(Path folder, Path tmp, Path log) throws IOException {
        return new ProcessBuilder(List.of(
                        "/usr/bin/env",
                        "--default-signal=INT",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:-UsePerfData",
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "test"))
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Polls {@code condition} until {@code timeout}, failing early (with clstr's output) if clstr ends. */
    static void await(BooleanSupplier condition, Duration timeout, Process clstr, Path log, String what)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(clstr.isAlive())
                    .as("%s: clstr is still running%n%s", what, Files.readString(log))
                    .isTrue();
            assertThat(System.nanoTime()).as("%s: the phase begins", what).isLessThan(deadline);
            clstr.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** Ctrl-C: SIGINT to the child. */
    static void interrupt(Process clstr) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(clstr.pid())).start().waitFor();
    }
}
