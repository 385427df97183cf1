package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.clstr.junit.Processes;
import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.log.LogEntry;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.stages.FailingStage;
import io.clstr.junit.stages.FloodStage;
import io.clstr.junit.stages.TwoNodeStage;
import io.clstr.junit.stages.UnhealthyStage;
import io.clstr.junit.testnode.TestNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

class ClstrExtensionTest {
    @TempDir
    Path folder;

    private EngineExecutionResults run(Class<?> stage, String... extra) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(stage))
                .configurationParameter(Settings.DIR, folder.toString())
                .configurationParameter(Settings.RUN, TestNodes.command())
                .configurationParameter(Settings.SEED, "42");
        for (int i = 0; i < extra.length; i += 2) {
            kit.configurationParameter(extra[i], extra[i + 1]);
        }
        return kit.execute();
    }

    @Test
    void oneClusterPerStageInjectedIntoTestsRunInSourceOrderAndClosedAfter() throws IOException {
        TwoNodeStage.RAN.clear();
        TwoNodeStage.PIDS.clear();
        run(TwoNodeStage.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(TwoNodeStage.RAN).containsExactly("healthy", "injected", "aaa");
        assertThat(TwoNodeStage.PIDS).hasSize(2).allSatisfy(pid -> assertThat(Processes.isRunning(pid))
                .as("node pid %d ended", pid)
                .isFalse());
        assertThat(folder.resolve(".clstr/data/two-nodes/n1"))
                .as("the nodes' data is kept for inspection until the stage runs again")
                .isDirectory();
        Files.writeString(folder.resolve(".clstr/data/two-nodes/n1/left-by-the-last-run"), "x");
        run(TwoNodeStage.class).testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(folder.resolve(".clstr/data/two-nodes/n1/left-by-the-last-run"))
                .as("a new run of the stage starts from empty data folders")
                .doesNotExist();
        try (Stream<Path> data = Files.list(folder.resolve(".clstr/data"))) {
            assertThat(data.map(p -> p.getFileName().toString()))
                    .as("the last run's data, moved aside, is deleted by the end of the stage")
                    .containsExactly("two-nodes");
        }
        List<String> events = RunLog.read(folder.resolve(".clstr/logs/two-nodes")).stream()
                .filter(LogEntry::isEvent)
                .map(e -> e.node() + " " + e.event())
                .toList();
        assertThat(events)
                .containsSubsequence(
                        "n1 START",
                        "cluster CLUSTER READY",
                        "cluster TEST: Every Node Is Healthy",
                        "cluster TEST: Nodes Are Injected By Name",
                        "cluster TEST: A Test Written Last Runs Last");
    }

    @Test
    void onlyRunsOneTestAndSkipsTheRestAsNotSelected() {
        TwoNodeStage.RAN.clear();
        var tests = run(TwoNodeStage.class, Settings.ONLY, "A Test Written Last Runs Last")
                .testEvents();
        tests.assertStatistics(s -> s.started(1).succeeded(1).skipped(2));
        tests.assertThatEvents()
                .haveExactly(
                        2,
                        event(skippedWithReason(
                                r -> r.startsWith("not selected: clstr.only runs \"A Test Written Last Runs Last\""))));
        assertThat(TwoNodeStage.RAN).containsExactly("aaa");
    }

    @Test
    void aStageStopsAtItsFirstFailureAndReportsTheRestSkipped() {
        var tests = run(FailingStage.class).testEvents();
        tests.assertStatistics(s -> s.succeeded(1).failed(1).skipped(2));
        String reason = "skipped: an earlier test failed (Missing Data Is Found)";
        tests.assertThatEvents()
                .haveExactly(1, event(test("third"), skippedWithReason(reason)))
                .haveExactly(1, event(test("fourth"), skippedWithReason(reason)));
        tests.assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("second"),
                                finishedWithFailure(
                                        instanceOf(AssertionFailedError.class),
                                        message(m -> m.startsWith("GET /data/missing")
                                                && m.contains("Hint: Write the file before reading it.")
                                                && m.contains("log lines of n1:\n")
                                                && m.contains("GET /data/missing 404")
                                                && m.contains("Each node's DATA_DIR is kept until this stage runs "
                                                        + "again: .clstr/data/failing/<node> ("
                                                        + folder.toAbsolutePath()
                                                                .resolve(".clstr/data/failing") + ")")
                                                && m.contains("Seed: 42 (rerun with --seed 42 or -Dclstr.seed=42")))));
    }

    /** Every stage of a run starts a cluster of its own; the build command runs once per run, for the first. */
    @Test
    void theBuildRunsOncePerRunHoweverManyStagesItHas() throws IOException {
        for (int runs = 1; runs <= 2; runs++) {
            EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(TwoNodeStage.class), selectClass(FailingStage.class))
                    .configurationParameter(Settings.DIR, folder.toString())
                    .configurationParameter(Settings.RUN, TestNodes.command())
                    .configurationParameter(Settings.BUILD, "echo built >> builds.txt")
                    .execute()
                    .containerEvents()
                    .assertStatistics(s -> s.failed(0));
            assertThat(Files.readAllLines(folder.resolve("builds.txt"))).hasSize(runs);
        }
    }

    /** A node that prints 2 GB in lines of 1 KB while the stage runs: the stage still passes, and its log keeps the cap. */
    @Test
    void aNodeThatPrintsGigabytesStillPassesAndItsLogStaysUnderTheCap() throws IOException {
        run(FloodStage.class, Settings.ENV, "PRINT_BYTES=" + (2L << 30) + ",PRINT_LINE_BYTES=1024")
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertLogCapped();
    }

    /** A node that prints 100 MB without a line break: the line is cut into pieces and the log keeps the cap. */
    @Test
    void aNodeThatPrintsOneEndlessLineStillPassesAndItsLogStaysUnderTheCap() throws IOException {
        run(FloodStage.class, Settings.ENV, "PRINT_BYTES=" + (100L << 20) + ",PRINT_LINE_BYTES=0")
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertLogCapped();
    }

    private void assertLogCapped() throws IOException {
        Path logs = folder.resolve(".clstr").resolve("logs").resolve("flood");
        long size;
        try (var files = Files.list(logs)) {
            size = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(size).as("bytes in " + logs).isLessThan(RunLog.OUTPUT_CAP + (1 << 20));
        assertThat(RunLog.read(logs))
                .extracting(LogEntry::text)
                .anyMatch(t -> t.startsWith("OUTPUT DROPPED: ") && t.contains(" that n1 printed here are not kept"))
                .anyMatch(t -> t.startsWith("listening on "))
                .anyMatch(t -> t.startsWith("GET /printed 200"));
    }

    @Test
    void aNodeThatNeverGetsHealthyFailsTheStageWithItsLogTail() {
        var results = run(UnhealthyStage.class, Settings.ENV, "FAIL_HEALTH=1");
        results.testEvents().assertStatistics(s -> s.started(0));
        results.containerEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                finishedWithFailure(
                                        instanceOf(ServerException.class),
                                        message(
                                                m -> m.matches(
                                                        "n1 did not answer GET /health with 200 within 1\\.5 s; the last "
                                                                + "try: (answered 503|no answer from 127\\.0\\.0\\.1:\\d+ within 250 ms)")))));
        assertThat(results.containerEvents().failed().stream()
                        .findFirst()
                        .orElseThrow()
                        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .orElseThrow()
                        .getThrowable()
                        .map(t -> ((ServerException) t).detail())
                        .orElseThrow())
                .as("the node's log tail: its last lines, the 503s of the health polls (and its first line when "
                        + "a slow machine made few polls in the 1.5 s)")
                .isNotEmpty()
                .allMatch(line -> line.contains("GET /health 503") || line.startsWith("listening on "))
                .last()
                .asString()
                .contains("GET /health 503");
    }

    @Test
    void missingRunCommandIsASetupError() throws IOException {
        Files.writeString(folder.resolve("clstr.yaml"), "challenge: demo\nstage: failing\n");
        var results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(FailingStage.class))
                .configurationParameter(Settings.DIR, folder.toString())
                .execute();
        results.containerEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(finishedWithFailure(
                                instanceOf(SetupException.class),
                                message("add a `run:` command to " + folder.resolve("clstr.yaml")
                                        + " (it starts one node of your server)"))));
    }
}
