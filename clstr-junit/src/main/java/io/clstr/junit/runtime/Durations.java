package io.clstr.junit.runtime;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as people read them in messages: {@code 10 s}, {@code 1.5 s}, {@code 250 ms}. */
final class Durations {

    private Durations() {}

    static String describe(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }
}
