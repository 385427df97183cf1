package io.clstr.junit.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    private static long[] millis(long... ms) {
        return LongStream.of(ms).map(m -> m * 1_000_000).toArray();
    }

    @Test
    void nearestRankPercentiles() {
        long[] hundred = LongStream.rangeClosed(1, 100).map(m -> m * 1_000_000).toArray();
        LatencyStats stats = LatencyStats.of(hundred, 0);
        assertThat(stats.p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(stats.p95()).isEqualTo(Duration.ofMillis(95));
        assertThat(stats.p99()).isEqualTo(Duration.ofMillis(99));
        assertThat(stats.max()).isEqualTo(Duration.ofMillis(100));
        assertThat(stats).hasToString("100 ops, 0 failed (0.0%), p50 50 ms, p95 95 ms, p99 99 ms, max 100 ms");
    }

    @Test
    void orderDoesNotMatterAndErrorsArePercent() {
        LatencyStats stats = LatencyStats.of(millis(15, 3, 8, 12), 1);
        assertThat(stats.count()).isEqualTo(4);
        assertThat(stats.errors()).isEqualTo(1);
        assertThat(stats.errorPercent()).isEqualTo(25.0);
        assertThat(stats).hasToString("4 ops, 1 failed (25.0%), p50 8 ms, p95 15 ms, p99 15 ms, max 15 ms");
    }

    @Test
    void subMillisecondLatenciesAreNotShownAsZero() {
        LatencyStats stats = LatencyStats.of(new long[] {200_000}, 0);
        assertThat(stats).hasToString("1 op, 0 failed (0.0%), p50 <1 ms, p95 <1 ms, p99 <1 ms, max <1 ms");
    }
}
