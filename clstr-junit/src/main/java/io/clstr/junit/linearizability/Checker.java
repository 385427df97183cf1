package io.clstr.junit.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

/** Checks histories for linearizability against a model, one search per partition, partitions in parallel. */
public final class Checker {

    /**
     * Shrinking a violation to its smallest failing part may take as long as the check took, but at
     * least this long...
     */
    static final long MIN_SHRINK_MILLIS = 1_000;
    /** ...and at most this long. */
    static final long MAX_SHRINK_MILLIS = 10_000;

    private Checker() {}

    /** Checks {@code history} against {@code model}; UNKNOWN when {@code timeLimit} passes first. */
    public static <S, I, O> Result<I, O> check(
            Model<S, I, O> model, List<Operation<I, O>> history, Duration timeLimit) {
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        List<List<Operation<I, O>>> parts = new ArrayList<>(model.partition(history));
        parts.sort(Comparator.comparingInt(List::size));
        AtomicBoolean cancel = new AtomicBoolean();
        List<Part<S, I, O>> done = new ArrayList<>();
        if (parts.size() == 1 || ForkJoinPool.getCommonPoolParallelism() < 2) {
            for (List<Operation<I, O>> part : parts) {
                Part<S, I, O> p = new Part<>(model, part, deadline, cancel);
                done.add(p);
                if (p.end != Search.End.LINEARIZABLE) {
                    break;
                }
            }
        } else {
            List<CompletableFuture<Part<S, I, O>>> futures = new ArrayList<>();
            for (List<Operation<I, O>> part : parts) {
                futures.add(CompletableFuture.supplyAsync(() -> new Part<>(model, part, deadline, cancel)));
            }
            for (CompletableFuture<Part<S, I, O>> f : futures) {
                done.add(f.join());
            }
        }
        return combine(model, done, deadline, start);
    }

    private static <S, I, O> Result<I, O> combine(
            Model<S, I, O> model, List<Part<S, I, O>> done, long deadline, long start) {
        Part<S, I, O> failing = null;
        boolean timedOut = false;
        for (Part<S, I, O> p : done) {
            if (p.end == Search.End.NOT_LINEARIZABLE && (failing == null || p.ops.size() < failing.ops.size())) {
                failing = p;
            }
            timedOut |= p.end == Search.End.TIMED_OUT;
        }
        long took = System.nanoTime() - start;
        if (failing != null) {
            Part<S, I, O> found = failing;
            long budget = Math.min(Math.max(took, MIN_SHRINK_MILLIS * 1_000_000L), MAX_SHRINK_MILLIS * 1_000_000L);
            return Result.violation(took, () -> {
                Part<S, I, O> smallest = shortestFailingPrefix(model, found, System.nanoTime() + budget);
                List<Operation<I, O>> partial = new ArrayList<>();
                for (int i : smallest.longest) {
                    partial.add(smallest.ops.get(i));
                }
                return new Result.Evidence<>(List.copyOf(smallest.ops), List.copyOf(partial));
            });
        }
        return Result.of(timedOut ? Verdict.UNKNOWN : Verdict.LINEARIZABLE, took);
    }

    /**
     * The shortest prefix of a failing partition (operations called up to some event time, those still
     * running then made open) that still fails (failing prefixes are upward closed): a galloping search
     * from the start (cuts 1, 2, 4, 8... events in), so the small prefixes are tried first, then a binary
     * search between the last passing and the first failing cut. Runs when the evidence is first asked
     * for, within the budget of {@link #MIN_SHRINK_MILLIS}; a prefix not proven failing in time counts as passing.
     */
    private static <S, I, O> Part<S, I, O> shortestFailingPrefix(
            Model<S, I, O> model, Part<S, I, O> failing, long deadline) {
        long[] cuts = failing.ops.stream()
                .flatMapToLong(op ->
                        op.isOpen() ? LongStream.of(op.callNanos()) : LongStream.of(op.callNanos(), op.returnNanos()))
                .sorted()
                .distinct()
                .toArray();
        Part<S, I, O> best = failing;
        int lo = 0;
        int hi = cuts.length - 1;
        for (int step = 1; lo + step - 1 < hi && System.nanoTime() - deadline < 0; step *= 2) {
            int probe = lo + step - 1;
            Part<S, I, O> p = new Part<>(model, prefix(failing.ops, cuts[probe]), deadline, new AtomicBoolean());
            if (p.end == Search.End.NOT_LINEARIZABLE) {
                best = p;
                hi = probe;
                break;
            }
            lo = probe + 1;
        }
        while (lo < hi && System.nanoTime() - deadline < 0) {
            int mid = (lo + hi) >>> 1;
            Part<S, I, O> p = new Part<>(model, prefix(failing.ops, cuts[mid]), deadline, new AtomicBoolean());
            if (p.end == Search.End.NOT_LINEARIZABLE) {
                best = p;
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return best;
    }

    private static <I, O> List<Operation<I, O>> prefix(List<Operation<I, O>> ops, long cut) {
        List<Operation<I, O>> out = new ArrayList<>();
        for (Operation<I, O> op : ops) {
            if (op.callNanos() <= cut) {
                out.add(op.returnNanos() <= cut ? op : Operation.open(op.clientId(), op.input(), op.callNanos()));
            }
        }
        return out;
    }

    /** The search of one partition, run to its end; a violation cancels the other partitions. */
    private static final class Part<S, I, O> {
        final List<Operation<I, O>> ops;
        final Search.End end;
        final int[] longest;

        Part(Model<S, I, O> model, List<Operation<I, O>> ops, long deadline, AtomicBoolean cancel) {
            this.ops = ops;
            Search<S, I, O> search = new Search<>(model, ops);
            this.end = search.run(deadline, cancel);
            this.longest = search.longest();
            if (end == Search.End.NOT_LINEARIZABLE) {
                cancel.set(true);
            }
        }
    }
}
