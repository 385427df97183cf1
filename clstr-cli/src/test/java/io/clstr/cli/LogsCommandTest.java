package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void folder() throws Exception {
        DemoFolder.create(dir, "hello", "");
    }

    private void writeLogs() throws Exception {
        Path logs = Files.createDirectories(dir.resolve(".clstr/logs"));
        Files.writeString(logs.resolve("cluster.jsonl"), """
                {"time":"2025-01-01T10:00:00.000000Z","node":"cluster","event":"CLUSTER READY"}
                {"time":"2025-01-01T10:00:01.500000Z","node":"cluster","event":"PARTITIONED FROM: n2"}
                """);
        Files.writeString(logs.resolve("n1.jsonl"), """
                {"time":"2025-01-01T10:00:00.250000Z","node":"n1","message":"became leader"}
                {"time":"2025-01-01T10:00:12.345000Z","node":"n1","event":"KILL"}
                not json at all
                """);
        Files.writeString(logs.resolve("n2.jsonl"), """
                {"time":"2025-01-01T09:59:59.900000Z","node":"n2","event":"START"}
                {"time":"2025-01-01T10:00:00.300000Z","node":"n2","message":"voted for n1"}
                """);
    }

    @Test
    void printsEveryNodeAndEventOnOneTimelineRelativeToTheFirstEntry() throws Exception {
        writeLogs();

        Cli.Result r = Cli.run(dir, "logs");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualToNormalizingNewlines("""
                   +0.000s  n2       *** START
                   +0.100s  cluster  *** CLUSTER READY
                   +0.350s  n1       became leader
                   +0.400s  n2       voted for n1
                   +1.600s  cluster  *** PARTITIONED FROM: n2
                  +12.445s  n1       *** KILL
                """);
    }

    @Test
    void namedNodesKeepTheClusterEvents() throws Exception {
        writeLogs();

        Cli.Result r = Cli.run(dir, "logs", "n1");

        assertThat(r.out()).isEqualToNormalizingNewlines("""
                   +0.100s  cluster  *** CLUSTER READY
                   +0.350s  n1       became leader
                   +1.600s  cluster  *** PARTITIONED FROM: n2
                  +12.445s  n1       *** KILL
                """);
    }

    @Test
    void unknownNodeNamesTheNodesOfTheRun() throws Exception {
        writeLogs();

        Cli.Result r = Cli.run(dir, "logs", "n9");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).isEqualTo("no node `n9` in the last run: its nodes are n1, n2");
    }

    @Test
    void withoutARunSaysToTestFirstAndExits2() {
        Cli.Result r = Cli.run(dir, "logs");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).startsWith("no run yet: run clstr test first");
        NoStackTrace.assertClean(r);
    }
}
