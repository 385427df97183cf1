package io.clstr.junit.check;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Latencies of a batch of operations: count, errors and nearest-rank percentiles.
 * Failed operations count in the latencies too.
 */
public final class LatencyStats {

    private final int count;
    private final int errors;
    private final Duration p50;
    private final Duration p95;
    private final Duration p99;
    private final Duration max;

    private LatencyStats(int count, int errors, Duration p50, Duration p95, Duration p99, Duration max) {
        this.count = count;
        this.errors = errors;
        this.p50 = p50;
        this.p95 = p95;
        this.p99 = p99;
        this.max = max;
    }

    /** Stats of these latencies (nanoseconds, any order), {@code errors} of which failed. */
    public static LatencyStats of(long[] nanos, int errors) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(
                sorted.length,
                errors,
                percentile(sorted, 50),
                percentile(sorted, 95),
                percentile(sorted, 99),
                sorted.length == 0 ? Duration.ZERO : Duration.ofNanos(sorted[sorted.length - 1]));
    }

    public int count() {
        return count;
    }

    /** How many operations threw. */
    public int errors() {
        return errors;
    }

    /** Errors as a percentage of all operations, 0 to 100. */
    public double errorPercent() {
        return count == 0 ? 0 : errors * 100.0 / count;
    }

    public Duration p50() {
        return p50;
    }

    public Duration p95() {
        return p95;
    }

    public Duration p99() {
        return p99;
    }

    public Duration max() {
        return max;
    }

    /** Like {@code 100 ops, 0 failed (0.0%), p50 3 ms, p95 8 ms, p99 12 ms, max 15 ms}: failed ops are those that threw (a check that failed). */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%d %s, %d %s (%.1f%%), p50 %s, p95 %s, p99 %s, max %s",
                count,
                count == 1 ? "op" : "ops",
                errors,
                "failed",
                errorPercent(),
                ms(p50),
                ms(p95),
                ms(p99),
                ms(max));
    }

    private static Duration percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
    }

    private static String ms(Duration d) {
        long nanos = d.toNanos();
        return nanos > 0 && nanos < 500_000 ? "<1 ms" : Math.round(nanos / 1e6) + " ms";
    }
}
