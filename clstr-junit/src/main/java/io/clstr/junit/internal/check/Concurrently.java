package io.clstr.junit.internal.check;

import io.clstr.junit.check.LatencyStats;
import io.clstr.junit.internal.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.opentest4j.AssertionFailedError;

/**
 * Runs {@code n} operations with at most {@code maxInFlight} at a time, times each one,
 * records the stats on the timeline and, once all have finished, fails if any threw.
 *
 * <p>Each of {@code maxInFlight} workers, on the JVM's client threads ({@link Workers}, kept from one
 * run and one cluster to the next), takes the next operation's index from a shared counter until none is
 * left: operations start in index order, and nothing is queued or handed over per operation.
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
        Run run = new Run(n, op);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 1; t <= Math.max(1, Math.min(n, maxInFlight)); t++) {
            workers.add(ctx.http().submit(run::work));
        }
        try {
            for (Future<?> worker : workers) {
                // every operation is bounded by its own request timeouts
                worker.get();
            }
        } catch (InterruptedException e) {
            run.stop();
            workers.forEach(w -> w.cancel(true));
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while running " + n + " operations concurrently");
        } catch (ExecutionException e) { // work() keeps what its operations throw: this is its own failure
            run.fatal.compareAndSet(null, e.getCause());
        }
        run.rethrowFatal();
        LatencyStats stats = LatencyStats.of(run.latencies, run.errors.get());
        String got = run.answers.toString();
        ctx.event("CONCURRENTLY: " + (label != null ? label : n + " ops") + ": " + stats
                + (got.isEmpty() ? "" : "; " + got));
        Throwable failure = run.first.get();
        if (failure != null) {
            String text = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
            throw new AssertionFailedError(
                    run.errors.get() + " of " + n + " operations failed" + (got.isEmpty() ? "" : " (" + got + ")")
                            + "; first failure:\n" + text
                            + (run.answers.anyNotAccepted() && !text.contains(Http.ACCEPT_QUEUE)
                                    ? "\n" + Http.ACCEPT_QUEUE
                                    : ""),
                    failure);
        }
        return stats;
    }

    /** The state the threads of one run share. */
    private static final class Run {
        final long[] latencies;
        final AnswerTally answers = new AnswerTally();
        final AtomicInteger errors = new AtomicInteger();
        /** The first operation that failed (an AssertionError or a RuntimeException). */
        final AtomicReference<Throwable> first = new AtomicReference<>();
        /** The first operation that threw anything else (an Error such as OutOfMemoryError): it goes up as it is. */
        private final AtomicReference<Throwable> fatal = new AtomicReference<>();

        private final int n;
        private final IntConsumer op;
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean stopped;

        Run(int n, IntConsumer op) {
            this.n = n;
            this.op = op;
            this.latencies = new long[n];
        }

        /** One thread's loop: the next operation not yet started, until there is none (or the run stops). */
        void work() {
            Http.countAnswersInto(answers);
            try {
                int index;
                while (!stopped && (index = next.getAndIncrement()) < n) {
                    // an operation that restored its interrupt flag does not hand it to the next one
                    Thread.interrupted();
                    long start = System.nanoTime();
                    try {
                        op.accept(index);
                    } catch (AssertionError | RuntimeException e) {
                        errors.incrementAndGet();
                        first.compareAndSet(null, e);
                    } catch (Throwable e) { // the boundary of an operation's thread: an Error goes to the caller
                        fatal.compareAndSet(null, e);
                    } finally {
                        latencies[index] = System.nanoTime() - start;
                    }
                }
            } finally {
                Http.stopCounting();
            }
        }

        void stop() {
            stopped = true;
        }

        void rethrowFatal() {
            Throwable e = fatal.get();
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) {
                throw new IllegalStateException(e);
            }
        }
    }
}
