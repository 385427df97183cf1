package io.clstr.cli.run;

import io.clstr.junit.ServerException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs clstr.yaml's {@code build:} command once before the stages, in the challenge folder
 * through {@code sh -c}, its output going to {@code .clstr/build.log}. A failing build is a
 * {@link ServerException} quoting the tail of that output. The command's processes are ended
 * if clstr is interrupted while it runs.
 */
public final class BuildStep {
    /** How many lines of build output a failure shows. */
    static final int TAIL = 20;

    private BuildStep() {}

    /** Runs {@code command} in {@code folder}, writing its output to {@code log}. */
    public static void run(String command, Path folder, Path log) throws InterruptedException {
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder("sh", "-c", command)
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the build command `" + command + "`", e);
        }
        Thread cleanup = new Thread(() -> destroy(process), "clstr-build-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new ServerException(
                        "the build command failed (exit code " + exit + "): fix what `" + command
                                + "` reports below (whole output: " + folder.relativize(log) + ")",
                        tail(log));
            }
        } finally {
            destroy(process);
            removeHook(cleanup);
        }
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it ends the build itself
        }
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return lines.subList(Math.max(0, lines.size() - TAIL), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}
