package io.clstr.kvstore;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs a round of observations at a fixed pace for a whole window, and stops at the first
 * round that fails (like a check's {@code consistently}, for properties that span many answers
 * and many rounds). The caller's thread waits for the window or the failure, whichever comes
 * first; it never sleeps for a fixed time.
 */
final class Sampling {

    private Sampling() {}

    /**
     * Runs {@code round} every {@code interval} until it returns true (then returns true at
     * once) or {@code within} has passed (then returns false); rethrows what a round throws.
     */
    static boolean until(Duration within, Duration interval, BooleanSupplier round) {
        AtomicBoolean met = new AtomicBoolean();
        try {
            during(within, interval, () -> {
                if (round.getAsBoolean()) {
                    met.set(true);
                    throw new Done();
                }
            });
        } catch (Done done) {
            return true;
        }
        return met.get();
    }

    /** Ends {@link #until} early: the condition held. */
    private static final class Done extends RuntimeException {
        Done() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs {@code round} every {@code interval} (measured from the end of the previous round) for
     * {@code window}; rethrows the first {@link AssertionError} or runtime exception a round throws.
     */
    static void during(Duration window, Duration interval, Runnable round) {
        AtomicInteger threads = new AtomicInteger();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kv-store-sampling-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<Void> failure = new CompletableFuture<>();
        try {
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        if (failure.isDone()) {
                            return;
                        }
                        try {
                            round.run();
                        } catch (AssertionError | RuntimeException e) {
                            failure.completeExceptionally(e);
                        }
                    },
                    0,
                    interval.toNanos(),
                    TimeUnit.NANOSECONDS);
            failure.get(window.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException windowOver) {
            // the window ended without a failing round: the property held throughout
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while sampling the cluster");
        } finally {
            scheduler.shutdownNow();
        }
    }
}
