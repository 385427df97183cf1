package io.clstr.queue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** What the workloads' client threads share: a node to send to, the pause between operations, the end. */
final class ClientThreads {

    /** The pause between one client's operations: keeps histories a size the checkers judge quickly. */
    private static final long PACE_MILLIS = 15;

    private ClientThreads() {}

    /** A daemon thread named {@code name} that runs {@code body}. */
    static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS));
    }

    /** Waits up to 10 s for each thread to end. */
    static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
