package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.cli.demo.DemoServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Challenge folders of the demo challenge for tests. Each folder's run command carries a unique
 * marker, so a test can see whether any of its demo servers is still running.
 */
final class DemoFolder {
    private final Path dir;
    private final String marker = UUID.randomUUID().toString();

    private DemoFolder(Path dir) {
        this.dir = dir;
    }

    /** A folder on stage {@code stage} with the process runtime and the demo server as {@code run}, plus {@code extra} YAML. */
    static DemoFolder create(Path dir, String stage, String extra) throws IOException {
        return create(dir, "demo", stage, extra);
    }

    /** As {@link #create(Path, String, String)}, for another test challenge (such as {@code demo-net}). */
    static DemoFolder create(Path dir, String challenge, String stage, String extra) throws IOException {
        DemoFolder f = new DemoFolder(dir);
        Files.createDirectories(dir);
        f.writeYaml("# a demo folder\nchallenge: " + challenge + "\nstage: " + stage + "   # the current stage\n"
                + "runtime: process\nrun: " + f.runCommand() + "\n" + extra);
        return f;
    }

    Path dir() {
        return dir;
    }

    /** Replaces clstr.yaml. */
    void writeYaml(String text) throws IOException {
        Files.writeString(dir.resolve("clstr.yaml"), text, StandardCharsets.UTF_8);
    }

    String yaml() throws IOException {
        return Files.readString(dir.resolve("clstr.yaml"), StandardCharsets.UTF_8);
    }

    /** The command that starts one demo node, marked as this folder's. */
    String runCommand() {
        return "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx48m -Dclstr.demo.mark=" + marker + " -cp '"
                + testClasses() + "' " + DemoServer.class.getName();
    }

    /** The demo servers of this folder that are still running. */
    List<ProcessHandle> running() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    /** Waits (up to 10 s) until no demo server of this folder runs, and fails if one still does. */
    void assertNothingRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!running().isEmpty() && System.nanoTime() < deadline) {
            ProcessHandle p = running().get(0);
            p.onExit()
                    .completeOnTimeout(p, 200, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .join();
        }
        assertThat(running()).as("demo servers left running").isEmpty();
    }

    static Path testClasses() {
        try {
            return Path.of(DemoServer.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
