package io.clstr.junit.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A point on the monotonic clock ({@link System#nanoTime()}) that something must happen by, and
 * the one way clstr waits: every wait in the framework goes through here, so every wait follows
 * one interrupt rule — an interrupted wait re-sets the thread's interrupt flag and throws
 * {@link CancellationException} naming what it waited for.
 */
public final class Deadline {
    private final long end;

    private Deadline(long end) {
        this.end = end;
    }

    /** The deadline {@code length} from now. */
    public static Deadline in(Duration length) {
        return new Deadline(System.nanoTime() + length.toNanos());
    }

    /** True once the deadline has passed. */
    public boolean passed() {
        return System.nanoTime() - end >= 0;
    }

    /** Nanoseconds left, never negative. */
    public long remainingNanos() {
        return Math.max(0, end - System.nanoTime());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(remainingNanos());
    }

    /** Waits {@code at most} or until the deadline, whichever comes first. */
    public void pause(Duration atMost, String what) {
        park(Math.min(atMost.toNanos(), remainingNanos()), what);
    }

    /** Waits until the deadline. */
    public void await(String what) {
        park(remainingNanos(), what);
    }

    /**
     * Checks {@code condition} every {@code interval} until it is true (returns true) or the
     * deadline passes (returns false after one last check).
     */
    public boolean until(Duration interval, String what, BooleanSupplier condition) {
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (passed()) {
                return false;
            }
            pause(interval, what);
        }
    }

    /** Waits {@code length} (a settle time, a grace period), by the same rule. */
    public static void sleep(Duration length, String what) {
        in(length).await(what);
    }

    /**
     * The exception of the interrupt rule: re-sets the interrupt flag and returns the exception to
     * throw, for code that catches {@link InterruptedException} itself.
     */
    public static CancellationException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new CancellationException("interrupted while waiting for " + what);
    }

    private static void park(long nanos, String what) {
        long until = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0) {
            if (Thread.interrupted()) {
                throw interrupted(what);
            }
            LockSupport.parkNanos(left);
            left = until - System.nanoTime();
        }
        if (Thread.interrupted()) {
            throw interrupted(what);
        }
    }
}
