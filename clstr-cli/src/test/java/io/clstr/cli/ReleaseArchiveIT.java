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
        Path archive = archive("tar.gz");
        run(install, "tar", "-xzf", archive.toString(), "-C", install.toString());
        Path home;
        try (Stream<Path> unpacked = Files.list(install)) {
            home = unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
        }
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

    private static Run run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("clstr-release", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            // the launcher keeps its class data archive under XDG_CACHE_HOME: here, not in the user's cache
            builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
            Process p = builder.directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
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
