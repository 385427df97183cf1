package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.internal.config.ClstrYaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's path on the real kv-store challenge, with the reference solution standing in
 * for the learner's server: init, a run without {@code run:}, then passing, advancing, status and logs.
 */
class ReferenceEndToEndTest {
    /** The reference jar, built before this module in the reactor. */
    private static final Path REFERENCE = Path.of("..", "reference", "kv-store", "target", "reference-kv-store.jar")
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path dir;

    @Test
    void initThenPassTheFirstStageAgainstTheReference() throws Exception {
        assertThat(REFERENCE)
                .as("build the reference first: mvn -pl reference/kv-store -am package")
                .exists();
        Cli.Result init = Cli.run(dir, "init", "kv-store", "--language", "go");
        assertThat(init.exitCode()).as(init.all()).isZero();
        assertThat(dir.resolve("Dockerfile")).exists();
        assertThat(ClstrYaml.read(dir).stage()).isEqualTo("http-api");

        Cli.Result noRun = Cli.run(dir, "test", "--runtime", "process");
        assertThat(noRun.exitCode()).as(noRun.all()).isEqualTo(ExitCode.USAGE);
        assertThat(noRun.firstErrLine()).startsWith("add a `run:` command to clstr.yaml");
        NoStackTrace.assertClean(noRun);

        Path yaml = dir.resolve("clstr.yaml");
        Files.writeString(
                yaml,
                Files.readString(yaml) + "run: exec java -XX:+UseSerialGC -Xmx64m " + "-XX:TieredStopAtLevel=1 -jar '"
                        + REFERENCE + "'\n",
                StandardCharsets.UTF_8);

        Cli.Result test = Cli.run(dir, "test", "--runtime", "process");
        assertThat(test.exitCode()).as(test.all()).isZero();
        assertThat(test.out()).contains("Testing http-api: ", "✓ PUT Stores Values (", "PASSED ✓");

        Cli.Result next = Cli.run(dir, "next", "--runtime", "process"); // the folder has a Dockerfile
        assertThat(next.exitCode()).as(next.all()).isZero();
        assertThat(ClstrYaml.read(dir).stage()).isEqualTo("persistence");

        Cli.Result status = Cli.run(dir, "status");
        assertThat(status.exitCode()).as(status.all()).isZero();
        assertThat(status.out()).contains("✓ http-api", "→ persistence", "Guide: clstr guide persistence");

        Cli.Result logs = Cli.run(dir, "logs");
        assertThat(logs.exitCode()).as(logs.all()).isZero();
        assertThat(logs.out()).contains("*** START", "*** CLUSTER READY", "*** TEST: PUT Stores Values");
        assertThat(Files.list(dir.resolve(".clstr")).map(p -> p.getFileName().toString()))
                .contains("logs", "reports");
    }
}
