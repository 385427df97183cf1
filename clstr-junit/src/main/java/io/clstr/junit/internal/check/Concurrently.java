package io.clstr.junit.internal.check;

import io.clstr.junit.check.LatencyStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.opentest4j.AssertionFailedError;

/**
 * Runs {@code n} operations with at most {@code maxInFlight} at a time, times each one,
 * records the stats on the timeline and, once all have finished, fails if any threw.
 */
final class Concurrently {

    private Concurrently() {}

    static LatencyStats run(CheckContext ctx, String label, int n, int maxInFlight, IntConsumer op) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        long[] latencies = new long[n];
        AnswerTally answers = new AnswerTally();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<Throwable> first = new AtomicReference<>();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, maxInFlight)), r -> {
            Thread t = new Thread(r, "clstr-concurrently-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> ops = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                int index = i;
                ops.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    Http.countAnswersInto(answers);
                    try {
                        op.accept(index);
                    } catch (AssertionError | RuntimeException e) {
                        errors.incrementAndGet();
                        first.compareAndSet(null, e);
                    } finally {
                        Http.stopCounting();
                        latencies[index] = System.nanoTime() - start;
                    }
                }));
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // every operation is bounded by its own request timeouts; keep waiting
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while running " + n + " operations concurrently");
        }
        rethrowErrors(ops);
        LatencyStats stats = LatencyStats.of(latencies, errors.get());
        String got = answers.toString();
        ctx.event("CONCURRENTLY: " + (label != null ? label : n + " ops") + ": " + stats
                + (got.isEmpty() ? "" : "; " + got));
        Throwable failure = first.get();
        if (failure != null) {
            String text = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
            throw new AssertionFailedError(
                    errors.get() + " of " + n + " operations failed" + (got.isEmpty() ? "" : " (" + got + ")")
                            + "; first failure:\n" + text
                            + (answers.anyNotAccepted() && !text.contains(Http.ACCEPT_QUEUE)
                                    ? "\n" + Http.ACCEPT_QUEUE
                                    : ""),
                    failure);
        }
        return stats;
    }

    /** An Error other than AssertionError (out of memory...) is not a failed operation: it goes up as it is. */
    private static void rethrowErrors(List<Future<?>> ops) {
        for (Future<?> f : ops) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while collecting concurrent operations");
            }
        }
    }
}
