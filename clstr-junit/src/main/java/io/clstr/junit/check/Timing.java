package io.clstr.junit.check;

import io.clstr.junit.internal.Text;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * When a check is judged: once; eventually (polls until an attempt passes, or fails with the
 * last attempt once the duration is over); or consistently (polls until an attempt that
 * started at the end of the duration passes, failing at the first attempt that does not).
 * Time is measured against {@link System#nanoTime()} deadlines.
 */
record Timing(Mode mode, Duration duration) {

    enum Mode {
        IMMEDIATE,
        EVENTUALLY,
        CONSISTENTLY
    }

    static final Timing IMMEDIATE = new Timing(Mode.IMMEDIATE, Duration.ZERO);

    /** The deciding attempt, how many were made, and for a failure the line that says when. */
    record Outcome(Attempt attempt, int attempts, String note) {}

    Timing {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
    }

    Outcome run(Supplier<Attempt> attempts, Duration interval) {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int count = 1; ; count++) {
            long attemptStart = System.nanoTime();
            Attempt attempt = attempts.get();
            long now = System.nanoTime();
            if (mode == Mode.IMMEDIATE || (mode == Mode.EVENTUALLY && attempt.passed())) {
                return new Outcome(attempt, count, null);
            }
            if (mode == Mode.EVENTUALLY && now - deadline >= 0) {
                return new Outcome(
                        attempt,
                        count,
                        "Still failing after " + Text.seconds(duration) + " (" + count
                                + (count == 1 ? " attempt" : " attempts") + "); the last attempt is shown.");
            }
            if (mode == Mode.CONSISTENTLY && !attempt.passed()) {
                return new Outcome(
                        attempt,
                        count,
                        "Failed after " + Text.seconds(now - start) + " of the " + Text.seconds(duration)
                                + " it must hold (attempt " + count + ").");
            }
            if (mode == Mode.CONSISTENTLY && attemptStart - deadline >= 0) {
                // it held up to and including an attempt made once the duration was over
                return new Outcome(attempt, count, null);
            }
            pause(Math.min(interval.toNanos(), deadline - now));
        }
    }

    private static void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while polling a check");
        }
    }
}
