package io.clstr.junit.internal;

import io.clstr.junit.internal.timing.Ledger;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A point on the monotonic clock ({@link System#nanoTime()}) that something must happen by, and
 * the one way clstr waits, so that every wait follows one interrupt rule:
 * <ul>
 *   <li>a wait of the test (checks, polls, health, settles) is cancelled by an interrupt: the
 *       interrupt flag is kept and {@link CancellationException} names what was awaited
 *       ({@link #until}, {@link #pause}, {@link #await});
 *   <li>a wait of cleanup (a process group emptying, a container going away) is never cancelled,
 *       since Ctrl-C must leave nothing behind: it runs to its end and the flag is restored after
 *       ({@link #untilUninterruptibly});
 *   <li>a grace period before a forced end (SIGTERM, then SIGKILL) is cut short by an interrupt:
 *       the forced end comes at once and the flag is restored ({@link #untilInterrupted}).
 * </ul>
 */
public final class Deadline {
    /** The first pause of a cleanup wait or a grace period ({@link #untilUninterruptibly}). */
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();

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
        return poll(interval.toNanos(), interval, condition, nanos -> park(nanos, what));
    }

    /**
     * As {@link #until} for cleanup: an interrupt does not end the wait; it is remembered and the
     * flag restored on return. The checks come soon at first and then less often: the pause
     * between them starts at a millisecond and doubles up to {@code interval}, since what cleanup
     * waits for (a signalled process to go, a stream to end) mostly happens within a millisecond.
     */
    public boolean untilUninterruptibly(Duration interval, BooleanSupplier condition) {
        boolean[] interrupted = {false};
        try {
            return poll(firstPause(interval), interval, condition, nanos -> {
                long until = System.nanoTime() + nanos;
                for (long left = nanos; left > 0; left = until - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                    interrupted[0] |= Thread.interrupted();
                }
            });
        } finally {
            if (interrupted[0]) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * As {@link #until} for a grace period: an interrupt ends the wait at once with false (what
     * follows is the forced end), the flag restored. Checks as {@link #untilUninterruptibly} does,
     * soon at first.
     */
    public boolean untilInterrupted(Duration interval, BooleanSupplier condition) {
        try {
            return poll(firstPause(interval), interval, condition, nanos -> park(nanos, "a grace period"));
        } catch (CancellationException interrupted) {
            return false; // the flag is set again by park's rule
        }
    }

    /**
     * Checks {@code condition} until it is true or the deadline passes (false after one last check),
     * pausing between checks for {@code first} nanoseconds, then twice as long each time up to
     * {@code longest}, never past the deadline.
     */
    private boolean poll(long first, Duration longest, BooleanSupplier condition, LongConsumer pause) {
        for (long next = first; ; next = Math.min(2 * next, longest.toNanos())) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (passed()) {
                return false;
            }
            pause.accept(Math.min(next, remainingNanos()));
        }
    }

    private static long firstPause(Duration interval) {
        return Math.max(1, Math.min(FIRST_PAUSE_NANOS, interval.toNanos()));
    }

    /** Waits {@code length} (a settle time), by the rule for waits of the test. */
    public static void sleep(Duration length, String what) {
        try (Progress.Handle waiting = Progress.waiting(what, length);
                Ledger.Span timed = Ledger.waiting(Ledger.Wait.SETTLE)) {
            in(length).await(what);
        }
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
