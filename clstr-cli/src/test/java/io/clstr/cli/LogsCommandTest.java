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
        Path logs = Files.createDirectories(dir.resolve(".clstr/logs/hello"));
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

    @Test
    void theRunsNodesComeFirstWithTheirAddrAndRoutes() throws Exception {
        writeLogs();
        Files.writeString(dir.resolve(".clstr/logs/hello/nodes.json"), """
                [{"node":"n1","addr":"127.0.0.1:20001","routes":{"n2":"127.0.0.1:21001"}},
                 {"node":"n2","addr":"127.0.0.1:20002","routes":{"n1":"127.0.0.1:21002"}}]
                """);

        Cli.Result r = Cli.run(dir, "logs", "-n", "2");

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).isEqualToNormalizingNewlines("""
                node  ADDR             routes to the others
                n1    127.0.0.1:20001  n2 via 127.0.0.1:21001
                n2    127.0.0.1:20002  n1 via 127.0.0.1:21002

                   +1.600s  cluster  *** PARTITIONED FROM: n2
                  +12.445s  n1       *** KILL
                """);
    }

    @Test
    void eachStageKeepsItsLastRunAndTheLatestIsShownUnlessAStageIsNamed() throws Exception {
        writeLogs();
        Path echo = Files.createDirectories(dir.resolve(".clstr/logs/echo"));
        Files.writeString(echo.resolve("n1.jsonl"), """
                {"time":"2025-01-02T10:00:00.000000Z","node":"n1","message":"echo run"}
                """);
        Files.setLastModifiedTime(
                dir.resolve(".clstr/logs/hello/n1.jsonl"), java.nio.file.attribute.FileTime.fromMillis(1000));
        Files.setLastModifiedTime(
                dir.resolve(".clstr/logs/hello/n2.jsonl"), java.nio.file.attribute.FileTime.fromMillis(1000));
        Files.setLastModifiedTime(
                dir.resolve(".clstr/logs/hello/cluster.jsonl"), java.nio.file.attribute.FileTime.fromMillis(1000));

        assertThat(Cli.run(dir, "logs").out()).contains("echo run").doesNotContain("became leader");
        assertThat(Cli.run(dir, "logs", "--stage", "hello", "--node", "n1").out())
                .contains("became leader", "CLUSTER READY")
                .doesNotContain("voted for n1", "echo run");
        Cli.Result missing = Cli.run(dir, "logs", "--stage", "persistence");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.firstErrLine())
                .isEqualTo("no run of stage `persistence` yet; the stages with logs are echo, hello");
    }

    @Test
    void followPrintsLinesAsTheyComeAndStopsWhenTheClusterEnds() throws Exception {
        writeLogs();
        Path n1 = dir.resolve(".clstr/logs/hello/n1.jsonl");
        Path cluster = dir.resolve(".clstr/logs/hello/cluster.jsonl");
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(600);
                Files.writeString(
                        n1,
                        "{\"time\":\"2025-01-01T10:00:13.000000Z\",\"node\":\"n1\",\"message\":\"written later\"}\n",
                        java.nio.file.StandardOpenOption.APPEND);
                Thread.sleep(300);
                Files.writeString(
                        cluster,
                        "{\"time\":\"2025-01-01T10:00:14.000000Z\",\"node\":\"cluster\",\"event\":\"CLUSTER ENDED\"}\n",
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();

        Cli.Result r = Cli.run(dir, "logs", "-f");

        writer.join();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("+13.100s  n1       written later", "*** CLUSTER ENDED");
    }
}
