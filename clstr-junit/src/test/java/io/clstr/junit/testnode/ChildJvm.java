package io.clstr.junit.testnode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test program in a JVM of its own, with its output read line by line. SIGINT is reset to its default
 * handling (through {@code env --default-signal}), in case this JVM was started with it ignored.
 */
public final class ChildJvm implements AutoCloseable {
    /** Put on the queue when the output ends, so that a wait for a line that cannot come ends at once. */
    private static final String END = new String("(end of output)");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} of {@code mainClass} in a small JVM with clstr's classes (see {@link TestNodes#javaCommand}). */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/env"))) {
            command.add("/usr/bin/env");
            command.add("--default-signal=INT");
        }
        command.addAll(TestNodes.javaCommand(mainClass, args));
        return new ChildJvm(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    public Process process() {
        return process;
    }

    /** Waits for a line starting with {@code prefix} and returns it; fails with everything read if it does not come. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line == END) {
                if (line == END) {
                    lines.add(END); // later waits end at once too
                }
                throw new AssertionError("no line starting with '" + prefix + "' "
                        + (line == null ? "within " + timeout : "before the output ended") + " (alive: "
                        + process.isAlive() + "); output: " + seen);
            }
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Sends {@code signal} (such as {@code INT}) to the JVM. */
    public void signal(String signal) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
        if (rc != 0) {
            throw new AssertionError("kill -s " + signal + " " + process.pid() + " failed with " + rc);
        }
    }

    /** Waits for the JVM to exit and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child JVM did not exit within " + timeout + "; output: " + seen + lines);
        }
        return process.exitValue();
    }

    /** Kills the JVM (SIGKILL) if it still runs, and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
            lines.add(END);
        } catch (IOException e) {
            lines.add("(output ended: " + e + ")");
            lines.add(END);
        }
    }
}
