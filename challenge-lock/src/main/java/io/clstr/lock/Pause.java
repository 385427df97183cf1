package io.clstr.lock;

import java.util.concurrent.locks.LockSupport;

/**
 * A wait that is part of a scenario, not a synchronisation: "every node stays down until the TTL
 * has passed". Checks never wait this way; they poll with eventually or consistently.
 */
final class Pause {

    private Pause() {}

    /** Returns once {@link System#nanoTime()} reaches {@code nanos}; {@code why} names the wait if interrupted. */
    static void until(long nanos, String why) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while waiting for " + why);
            }
        }
    }
}
