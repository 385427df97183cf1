package io.clstr.junit.internal;

import io.clstr.junit.internal.timing.Ledger;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM's kept threads: every HTTP client runs its work on them ({@code concurrently}'s workers,
 * {@code sendAsync}, the other nodes of {@code sendAll}), and so do a cluster's calls to several nodes
 * at once (start, kill, pause, resume, the teardown's end) and {@link Background} (a data folder's
 * deletion, a file's writing, the teardown's closes beside the others). One pool for the JVM, kept
 * from one cluster to the next. A cluster of its own started some 50 threads in its first {@code
 * concurrently} and ended them at its teardown, 10-20 ms each way in a cold JVM, inside the stage; the
 * warm-up starts them ({@link #start}) before the first cluster instead, and later stages find them
 * waiting. ({@code CompletableFuture}'s own default on two cores is a new thread per task: the common
 * pool has one thread there, and it does not use a pool of one.)
 *
 * <p>Threads are daemons and end after {@link #IDLE_MINUTES} without work. They inherit no
 * thread-local value from the thread that happened to start them; a task runs as its submitter
 * records in a stage's ledger ({@link Ledger#asCaller}), so the warm-up's requests stay out of the
 * stage's figures.
 */
public final class Workers {
    /** How long an idle thread is kept: longer than the longest stage. */
    private static final long IDLE_MINUTES = 10;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, IDLE_MINUTES, TimeUnit.MINUTES, new SynchronousQueue<>(), Workers::thread);

    private Workers() {}

    /** Runs {@code task} on an idle thread of the pool, or a new one, recording as the calling thread does. */
    public static Future<?> submit(Runnable task) {
        return POOL.submit(Ledger.asCaller(task));
    }

    /** As {@link #submit}, for an executor's {@code execute}. */
    public static void execute(Runnable task) {
        POOL.execute(Ledger.asCaller(task));
    }

    /**
     * Starts threads until the pool has at least {@code n}, which then wait for work: for the
     * warm-up, so that a stage's first {@code concurrently} finds as many as it runs at a time.
     */
    public static void start(int n) {
        synchronized (POOL) {
            if (POOL.getPoolSize() < n) {
                POOL.setCorePoolSize(n);
                POOL.prestartAllCoreThreads();
                POOL.setCorePoolSize(0); // idle from now on, so each ends after IDLE without work
            }
        }
    }

    private static Thread thread(Runnable r) {
        Thread t = new Thread(null, r, "clstr-worker-" + THREADS.incrementAndGet(), 0, false);
        t.setDaemon(true);
        return t;
    }
}
