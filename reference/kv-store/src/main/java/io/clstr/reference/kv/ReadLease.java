package io.clstr.reference.kv;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BUG lease-read: the read lease of that bug. A read that confirmed leadership with a majority lends
 * the reads after it a lease of 400 ms, during which they are answered from the local map. 400 ms is
 * less than the shortest election timeout, so while time flows no newer leader can exist before the
 * lease runs out; but the lease is counted in ticks of a 10 ms timer, which does not tick while the
 * process is paused (nor catch up afterwards): a leader resumed after a pause still holds a lease
 * that ran out long ago.
 */
final class ReadLease implements AutoCloseable {

    private static final int TICKS = 40;
    private static final long TICK_MILLIS = 10;

    private final AtomicInteger left = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "read-lease");
        thread.setDaemon(true);
        return thread;
    });

    ReadLease() {
        timer.scheduleWithFixedDelay(
                () -> left.updateAndGet(ticks -> Math.max(0, ticks - 1)),
                TICK_MILLIS,
                TICK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** A read has just confirmed leadership: the lease starts again. */
    void renew() {
        left.set(TICKS);
    }

    /** Whether the lease still holds, by the timer's count. */
    boolean holds() {
        return left.get() > 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
