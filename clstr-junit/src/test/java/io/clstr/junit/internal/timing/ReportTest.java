package io.clstr.junit.internal.timing;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.internal.timing.Ledger.Wait;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theUnionCountsOverlappingAndTouchingStretchesOnce() {
        Intervals intervals = new Intervals();
        intervals.add(5, 8);
        intervals.add(0, 2);
        intervals.add(1, 3);
        intervals.add(3, 4);
        intervals.add(6, 7);
        intervals.add(9, 9); // empty
        assertThat(intervals.union()).containsExactly(0, 4, 5, 8);
    }

    @Test
    void compactingManyStretchesKeepsTheirUnion() {
        Intervals intervals = new Intervals();
        long expected = 0;
        // 50 000 requests, ten at a time overlapping, with a gap of 1 after every tenth
        for (int i = 0; i < 50_000; i++) {
            long group = i / 10;
            intervals.add(group * 11 + i % 10, group * 11 + 10);
        }
        long[] union = intervals.union();
        for (int i = 0; i < union.length; i += 2) {
            expected += union[i + 1] - union[i];
        }
        assertThat(union).hasSize(2 * 5_000);
        assertThat(expected).isEqualTo(5_000L * 10);
    }

    @Test
    void eachStretchCountsOnceForTheFirstWaitThatCoversItElseForTheInnermostPart() {
        Map<Wait, long[]> waits = new EnumMap<>(Wait.class);
        waits.put(Wait.START, new long[] {0, S});
        waits.put(Wait.WINDOW, new long[] {S, 4 * S});
        waits.put(Wait.REQUEST, new long[] {3 * S, 5 * S, 6 * S, 7 * S});
        List<Report.Part> parts = List.of(
                new Report.Part("cluster start", 0, 2 * S),
                new Report.Part("test \"a\"", 2 * S, 8 * S),
                new Report.Part("history check", 7 * S, 7 * S + S / 2),
                new Report.Part("teardown", 8 * S, 10 * S));

        Report report = Report.of("stage", 0, 10 * S, waits, parts);

        assertThat(report.wall()).isEqualTo(10 * S);
        assertThat(report.waited())
                .containsEntry(Wait.START, S)
                .containsEntry(Wait.WINDOW, 3 * S)
                .containsEntry(Wait.REQUEST, 2 * S) // 4..5 and 6..7: 3..4 went to the window
                .containsEntry(Wait.SETTLE, 0L);
        assertThat(report.waits()).isEqualTo(6 * S);
        assertThat(report.overhead())
                .containsExactly(
                        Map.entry("teardown", 2 * S),
                        Map.entry("test \"a\"", 3 * S / 2),
                        Map.entry("history check", S / 2));
        assertThat(report.overheadTotal()).isEqualTo(report.wall() - report.waits());
        assertThat(report.overheadPercent()).isEqualTo(40.0);
        assertThat(report.line(2))
                .isEqualTo("stage wall 10.0 s, waits 6.0 s (windows 3.0, starts 1.0, requests 2.0), overhead 4.0 s "
                        + "(40.0 %): teardown 2.00 s, test \"a\" 1.50 s");
    }

    @Test
    void timeInNoPartIsOtherAndWaitsOutsideTheWallAreCutOff() {
        Map<Wait, long[]> waits = new EnumMap<>(Wait.class);
        waits.put(Wait.SETTLE, new long[] {-5 * S, S, 3 * S, 20 * S});
        Report report = Report.of("stage", 0, 4 * S, waits, List.of());
        assertThat(report.waited()).containsEntry(Wait.SETTLE, 2 * S);
        assertThat(report.overhead()).containsExactly(Map.entry(Report.OTHER, 2 * S));
    }

    @Test
    void aReportEntryReadsBackAsTheSameReport() {
        Map<Wait, long[]> waits = new EnumMap<>(Wait.class);
        waits.put(Wait.STOP, new long[] {1_000, 2_000_000});
        Report report = Report.of("kv", 0, 3 * S, waits, List.of(new Report.Part("teardown", 2 * S, 3 * S)));
        Map<String, String> entry = report.toEntry();
        assertThat(entry.get(Report.ENTRY)).isEqualTo(report.line(5));
        assertThat(Report.fromEntry(entry)).isEqualTo(report);
    }
}
