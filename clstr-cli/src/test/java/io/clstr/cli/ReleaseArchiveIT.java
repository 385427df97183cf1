package io.clstr.cli;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive that {@code mvn package} leaves in {@code target/}, as a learner installs
 * it: unpacked into an empty folder and run from there, with no Maven build and no source tree
 * behind it, against the queue reference (its first stage), twice: the first run records the
 * launcher's class data archive (in a cache folder of its own), the second maps it. Runs after
 * package (failsafe).
 */
class ReleaseArchiveIT {

    @TempDir
    Path install;

    @Test
    void theUnpackedArchiveRunsAStageOnItsOwn() throws Exception {
        Path home = unpack();
        assertThat(home.getFileName().toString()).startsWith("clstr-");
        Path clstr = home.resolve("bin/clstr");
        assertThat(Files.getPosixFilePermissions(clstr)).contains(PosixFilePermission.OWNER_EXECUTE);
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("clstr-cli-"))
                    .anyMatch(n -> n.startsWith("challenge-kv-store-"))
                    .anyMatch(n -> n.startsWith("challenge-queue-"))
                    .anyMatch(n -> n.startsWith("clstr-junit-"));
        }

        Run version = run(install, clstr.toString(), "--version");
        assertThat(version.code()).as(version.output()).isZero();
        assertThat(version.output()).contains("clstr");

        Run list = run(install, clstr.toString(), "list");
        assertThat(list.code()).as(list.output()).isZero();
        assertThat(list.output()).contains("kv-store", "queue");

        Path reference = repository().resolve("reference/queue");
        Run test =
                run(install, clstr.toString(), "-C", reference.toString(), "test", "http-api", "--runtime", "process");
        assertThat(test.code()).as(test.output()).isZero();
        assertThat(test.output()).contains("PASSED").doesNotContain("building the command line");

        // the first test recorded the class data archive in the cache folder; the next run maps it
        Path cache = install.resolve("cache/clstr");
        try (Stream<Path> archives = Files.list(cache)) {
            assertThat(archives.map(p -> p.getFileName().toString()))
                    .singleElement(as(InstanceOfAssertFactories.STRING))
                    .startsWith(version.output().trim().substring("clstr ".length()) + "-")
                    .endsWith(".jsa");
        }
        Run again =
                run(install, clstr.toString(), "-C", reference.toString(), "test", "http-api", "--runtime", "process");
        assertThat(again.code()).as(again.output()).isZero();
        assertThat(again.output()).contains("PASSED");
    }

    /**
     * The first {@code test} runs the JVM as the launcher's child (it renames the archive the JVM
     * writes at exit): a SIGTERM to the launcher alone, as {@code timeout} sends, must stop the stage
     * at once, clean up and keep no archive, not wait for the stage to end.
     */
    @Test
    void aSigtermToTheLauncherDuringTheRecordingRunEndsTheStageAtOnce() throws Exception {
        Path clstr = unpack().resolve("bin/clstr");
        Path log = install.resolve("term.log");
        Process launcher = start(
                install,
                log,
                clstr.toString(),
                "-C",
                repository().resolve("reference/queue").toString(),
                "test",
                "replication", // 40 s and more of chaos: far longer than the wait for the launcher below
                "--runtime",
                "process");
        try {
            List<ProcessHandle> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (seen.stream().noneMatch(ReleaseArchiveIT::isQueueNode)) {
                assertThat(System.nanoTime())
                        .as("no node started within 2 minutes")
                        .isLessThan(deadline);
                assertThat(launcher.isAlive()).as(Files.readString(log)).isTrue();
                launcher.descendants().filter(h -> !seen.contains(h)).forEach(seen::add);
                Thread.sleep(50);
            }

            new ProcessBuilder("kill", "-TERM", Long.toString(launcher.pid()))
                    .start()
                    .waitFor();

            assertThat(launcher.waitFor(20, TimeUnit.SECONDS))
                    .as("the launcher ended within 20 s of SIGTERM")
                    .isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(launcher.exitValue()).as(output).isEqualTo(143);
            assertThat(output)
                    .contains("interrupted: stopping the cluster and cleaning up")
                    .doesNotContain("Exception in thread");
            assertThat(output.substring(output.indexOf("interrupted:")))
                    .as("tests the cleanup failed are not reported after the interrupt")
                    .doesNotContain("✗", "FAILED");
            for (ProcessHandle h : seen) {
                assertThat(h.onExit().get(10, TimeUnit.SECONDS).isAlive())
                        .as("%s is left running", h.info().commandLine().orElse("process " + h.pid()))
                        .isFalse();
            }
            Path cache = install.resolve("cache/clstr");
            if (Files.isDirectory(cache)) {
                try (Stream<Path> kept = Files.list(cache)) {
                    assertThat(kept)
                            .as("an interrupted first run keeps no archive")
                            .isEmpty();
                }
            }
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    private static boolean isQueueNode(ProcessHandle h) {
        return h.info().commandLine().orElse("").contains("reference-queue.jar");
    }

    /** Unpacks the tar.gz into {@link #install}; its clstr-&lt;version&gt; folder. */
    private Path unpack() throws IOException, InterruptedException {
        run(install, "tar", "-xzf", archive("tar.gz").toString(), "-C", install.toString());
        try (Stream<Path> unpacked = Files.list(install)) {
            return unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void theZipHoldsTheSameLayout() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive("zip").toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                names.add(e.getName());
            }
        }
        assertThat(names)
                .anyMatch(n -> n.matches("clstr-[^/]+/bin/clstr"))
                .anyMatch(n -> n.matches("clstr-[^/]+/lib/clstr-cli-[^/]+\\.jar"));
    }

    private static Path archive(String extension) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(
                            p -> p.getFileName().toString().matches("clstr-\\d.*\\." + extension.replace(".", "\\.")))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("no target/clstr-<version>." + extension + ": run mvn package"))
                    .toAbsolutePath();
        }
    }

    /** The repository root: the parent of this module's folder. */
    private static Path repository() {
        return Path.of("").toAbsolutePath().getParent();
    }

    private record Run(int code, String output) {}

    /** Starts {@code command} in {@code dir}, its output (both streams) into {@code log}, no input. */
    private static Process start(Path dir, Path log, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        // the launcher keeps its class data archive under XDG_CACHE_HOME: here, not in the user's cache
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        return builder.directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    private static Run run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("clstr-release", ".log");
        try {
            Process p = start(dir, log, command);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within 5 minutes");
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
