package io.clstr.lock;

import io.clstr.junit.check.Failure;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Waits on what client loops have recorded: progress is a condition, never a sleep. */
final class Workloads {

    /** How long a workload may take to make the progress a test waits for. */
    static final Duration PROGRESS = Duration.ofSeconds(10);

    private Workloads() {}

    /** Returns once {@code n} more operations matching {@code which} completed ok; fails after 10 s. */
    static <I, O> void awaitOk(History<I, O> history, Predicate<Entry<I, O>> which, int n, String what) {
        long start = countOk(history, which);
        long deadline = System.nanoTime() + PROGRESS.toNanos();
        long done;
        while ((done = countOk(history, which) - start) < n) {
            if (System.nanoTime() > deadline) {
                throw Failure.of("clients running " + what)
                        .expected(n + " more " + what + " answered 200 within " + PROGRESS.toSeconds() + " s")
                        .found(done + " (" + history.entries().size() + " operations recorded)")
                        .hint(
                                "The cluster stopped serving.",
                                "Outside a crash and the election after it, the leader must keep answering.",
                                "A node that knows no leader answers 503; a follower answers 307 to the leader.")
                        .error();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static <I, O> long countOk(History<I, O> history, Predicate<Entry<I, O>> which) {
        return history.entries().stream()
                .filter(e -> e.completion() == Completion.OK && which.test(e))
                .count();
    }
}
