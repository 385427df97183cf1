package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.timing.Ledger.Wait;
import io.clstr.junit.internal.timing.Report;
import io.clstr.junit.stages.TimedStage;
import io.clstr.junit.testnode.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** A stage's ledger against a stage of known waits; no assertion on how fast anything is. */
class StageTimingTest {
    @TempDir
    Path folder;

    private EngineExecutionResults run(String timing) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(TimedStage.class))
                .configurationParameter(Settings.DIR, folder.toString())
                .configurationParameter(Settings.RUN, TestNodes.command())
                .configurationParameter(Settings.SEED, "42")
                .configurationParameter(Settings.TIMING, timing)
                .execute();
    }

    private static List<Report> reports(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .filter(pairs -> pairs.containsKey(Report.ENTRY))
                .map(Report::fromEntry)
                .toList();
    }

    @Test
    void theStageReportsItsWaitsAndTheRestOfItsWallTimeAsOverhead() {
        EngineExecutionResults results = run("false");
        results.testEvents().assertStatistics(s -> s.succeeded(2));

        List<Report> reports = reports(results);
        assertThat(reports).hasSize(1);
        Report report = reports.get(0);
        assertThat(report.stage()).isEqualTo("timed");
        assertThat(report.waited().get(Wait.WINDOW))
                .as("the consistently window counts in full")
                .isGreaterThanOrEqualTo(TimedStage.WINDOW.toNanos());
        assertThat(report.waited().get(Wait.SETTLE))
                .as("the settle and the hold count as the stage's own waits")
                .isGreaterThanOrEqualTo(
                        Duration.ofMillis(500).plus(TimedStage.HOLD).toNanos());
        assertThat(report.waited().get(Wait.START)).as("two nodes started").isPositive();
        assertThat(report.waited().get(Wait.STOP))
                .as("n2 stopped, the other node killed at teardown")
                .isPositive();
        assertThat(report.waits()).isLessThanOrEqualTo(report.wall());
        assertThat(report.overheadTotal())
                .isEqualTo(report.wall() - report.waits())
                .isNotNegative();
        assertThat(report.overhead()).containsKeys("cluster start", "teardown");
        Event entry = results.allEvents().reportingEntryPublished().list().get(0);
        assertThat(entry.getTestDescriptor().getDisplayName())
                .as("the entry belongs to the stage class")
                .isEqualTo("TimedStage");
    }

    @Test
    void withTimingOnTheStagePrintsItsLine() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        EngineExecutionResults results;
        try {
            results = run("true");
        } finally {
            System.setOut(original);
        }
        results.testEvents().assertStatistics(s -> s.succeeded(2));
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .containsPattern("(?m)^timing: timed wall [0-9.]+ s, waits [0-9.]+ s \\(windows [0-9.]+, "
                        + "settles [0-9.]+, starts [0-9.]+, stops [0-9.]+.*\\), overhead [0-9.]+ s \\([0-9.]+ %\\)");
        assertThat(out).contains(reports(results).get(0).line(5));
    }
}
