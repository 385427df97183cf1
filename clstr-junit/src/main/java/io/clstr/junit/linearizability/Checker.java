package io.clstr.junit.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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

    /** Partitions smallest first (a class, not a lambda: no bootstrap on a cold start). */
    private static final Comparator<List<?>> BY_SIZE = new Comparator<>() {
        @Override
        public int compare(List<?> a, List<?> b) {
            return Integer.compare(a.size(), b.size());
        }
    };

    /**
     * Other threads join a check only once it has run this long with partitions left: a short check
     * (most, and all of a fresh JVM's first ones, still interpreted) is done sooner on one thread
     * than by starting more.
     */
    static final long HELP_AFTER_NANOS = 50_000_000L;

    private Checker() {}

    /** Checks {@code history} against {@code model}; UNKNOWN when {@code timeLimit} passes first. */
    public static <S, I, O> Result<I, O> check(
            Model<S, I, O> model, List<Operation<I, O>> history, Duration timeLimit) {
        return check(
                model,
                history,
                timeLimit,
                Search.NO_MEMO_LIMIT,
                Runtime.getRuntime().availableProcessors(),
                HELP_AFTER_NANOS);
    }

    /**
     * Checks {@code history}, the partitions smallest first on up to {@code threads} threads (this one,
     * and others started once the check has run {@code helpAfterNanos} with partitions left), each
     * search remembering at most {@code memoLimit} configurations per memo table (UNKNOWN when one
     * fills up). The verdict and the failing partition reported do not depend on the threads'
     * timing: the first failing partition in that order is reported (a failure cancels only the
     * partitions after it), as one thread finds it.
     */
    static <S, I, O> Result<I, O> check(
            Model<S, I, O> model,
            List<Operation<I, O>> history,
            Duration timeLimit,
            int memoLimit,
            int threads,
            long helpAfterNanos) {
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        List<List<Operation<I, O>>> parts = new ArrayList<>(model.partition(history));
        parts.sort(BY_SIZE);
        Parts<S, I, O> run = new Parts<>(model, parts, deadline, memoLimit);
        int helpers = Math.min(parts.size(), threads) - 1;
        List<Thread> started = new ArrayList<>();
        // this thread takes partitions in turn; helpers start once the check is long enough to want them
        for (int i = run.take(); i >= 0; i = run.take()) {
            if (started.isEmpty() && helpers > 0 && System.nanoTime() - start >= helpAfterNanos) {
                for (int t = 0; t < helpers; t++) {
                    Thread thread = new Thread(run, "clstr-checker-" + (t + 1));
                    thread.setDaemon(true);
                    thread.start();
                    started.add(thread);
                }
            }
            if (!run.check(i)) {
                break;
            }
        }
        boolean interrupted = false;
        for (Thread thread : started) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.cancelAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        run.rethrow();
        return combine(model, run.done(), start, memoLimit);
    }

    /** The result of the partitions run in order up to the first that did not pass. */
    private static <S, I, O> Result<I, O> combine(
            Model<S, I, O> model, List<Part<S, I, O>> done, long start, int memoLimit) {
        Part<S, I, O> failing = null;
        Search.End undecided = null;
        for (Part<S, I, O> p : done) {
            if (p.end == Search.End.NOT_LINEARIZABLE) {
                failing = p;
                break;
            }
            if (p.end != Search.End.LINEARIZABLE && undecided == null) {
                undecided = p.end;
            }
        }
        long took = System.nanoTime() - start;
        if (failing != null) {
            long budget = Math.min(Math.max(took, MIN_SHRINK_MILLIS * 1_000_000L), MAX_SHRINK_MILLIS * 1_000_000L);
            return Result.violation(took, new Shrink<>(model, failing, budget, memoLimit));
        }
        if (undecided == null) {
            return Result.linearizable(took);
        }
        return Result.unknown(
                took,
                switch (undecided) {
                    case MEMO_FULL -> Result.MEMO_FULL;
                    case CANCELLED -> "interrupted";
                    default -> "time limit reached";
                });
    }

    /** A violation's evidence, worked out when a report first asks for it, within {@code budget} nanoseconds. */
    private static final class Shrink<S, I, O> implements Supplier<Result.Evidence<I, O>> {
        private final Model<S, I, O> model;
        private final Part<S, I, O> failing;
        private final long budget;
        private final int memoLimit;

        Shrink(Model<S, I, O> model, Part<S, I, O> failing, long budget, int memoLimit) {
            this.model = model;
            this.failing = failing;
            this.budget = budget;
            this.memoLimit = memoLimit;
        }

        @Override
        public Result.Evidence<I, O> get() {
            Part<S, I, O> smallest = shortestFailingPrefix(model, failing, System.nanoTime() + budget, memoLimit);
            // the reads the search abandoned early are placed as far as they go, for the report
            Part<S, I, O> unpruned =
                    new Part<>(model, smallest.ops, System.nanoTime() + budget, memoLimit, new AtomicBoolean(), false);
            int[] longest = unpruned.end == Search.End.NOT_LINEARIZABLE ? unpruned.longest : smallest.longest;
            List<Operation<I, O>> partial = new ArrayList<>();
            for (int i : longest) {
                partial.add(smallest.ops.get(i));
            }
            return new Result.Evidence<>(List.copyOf(smallest.ops), List.copyOf(partial));
        }
    }

    /**
     * The shortest prefix of a failing partition (operations called up to some event time, those still
     * running then made open) that still fails (failing prefixes are upward closed): a galloping search
     * from the start (cuts 1, 2, 4, 8... events in), so the small prefixes are tried first, then a binary
     * search between the last passing and the first failing cut. Runs when the evidence is first asked
     * for, within the budget of {@link #MIN_SHRINK_MILLIS}; a prefix not proven failing in time counts as passing.
     */
    private static <S, I, O> Part<S, I, O> shortestFailingPrefix(
            Model<S, I, O> model, Part<S, I, O> failing, long deadline, int memoLimit) {
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
            Part<S, I, O> p =
                    new Part<>(model, prefix(failing.ops, cuts[probe]), deadline, memoLimit, new AtomicBoolean(), true);
            if (p.end == Search.End.NOT_LINEARIZABLE) {
                best = p;
                hi = probe;
                break;
            }
            lo = probe + 1;
        }
        while (lo < hi && System.nanoTime() - deadline < 0) {
            int mid = (lo + hi) >>> 1;
            Part<S, I, O> p =
                    new Part<>(model, prefix(failing.ops, cuts[mid]), deadline, memoLimit, new AtomicBoolean(), true);
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

    /**
     * The partitions of a check, smallest first, taken in order by the threads that work on them; a
     * failure cancels the partitions after it (those before it still run to their end), so the first
     * failing partition is the one a single thread would find.
     */
    private static final class Parts<S, I, O> implements Runnable {
        private final Model<S, I, O> model;
        private final List<List<Operation<I, O>>> parts;
        private final long deadline;
        private final int memoLimit;
        private final AtomicInteger next = new AtomicInteger();
        private final List<AtomicBoolean> cancel = new ArrayList<>();
        private final List<Part<S, I, O>> done;
        private int firstFailing = Integer.MAX_VALUE;
        private RuntimeException thrown;
        private Error error;

        Parts(Model<S, I, O> model, List<List<Operation<I, O>>> parts, long deadline, int memoLimit) {
            this.model = model;
            this.parts = parts;
            this.deadline = deadline;
            this.memoLimit = memoLimit;
            this.done = new ArrayList<>(Collections.nCopies(parts.size(), null));
            for (int i = 0; i < parts.size(); i++) {
                cancel.add(new AtomicBoolean());
            }
        }

        @Override
        public void run() {
            work();
        }

        /** Checks partitions, the next one not taken each time, until none is left that could matter. */
        void work() {
            for (int i = take(); i >= 0 && check(i); i = take()) {}
        }

        /** The next partition not taken, or -1 when none is left that could matter. */
        int take() {
            int i = next.getAndIncrement();
            return i < parts.size() && !after(i) ? i : -1;
        }

        /** Checks partition {@code i}; false if its search threw (the check then ends with that). */
        boolean check(int i) {
            try {
                finished(i, new Part<>(model, parts.get(i), deadline, memoLimit, cancel.get(i), true));
                return true;
            } catch (RuntimeException e) {
                failed(e, null);
                return false;
            } catch (Error e) {
                failed(null, e);
                return false;
            }
        }

        private synchronized boolean after(int i) {
            return i > firstFailing || thrown != null || error != null;
        }

        private synchronized void finished(int i, Part<S, I, O> part) {
            done.set(i, part);
            if (part.end == Search.End.NOT_LINEARIZABLE && i < firstFailing) {
                firstFailing = i;
                for (int j = i + 1; j < parts.size(); j++) {
                    cancel.get(j).set(true);
                }
            }
        }

        private synchronized void failed(RuntimeException e, Error err) {
            if (thrown == null && error == null) {
                thrown = e;
                error = err;
            }
            cancelAll();
        }

        /** Stops every partition's search. */
        void cancelAll() {
            for (AtomicBoolean c : cancel) {
                c.set(true);
            }
        }

        /** Throws what a partition's search threw, if one did. */
        synchronized void rethrow() {
            if (error != null) {
                throw error;
            }
            if (thrown != null) {
                throw thrown;
            }
        }

        /** The partitions in order up to the first failing one (a partition not run counts as cancelled). */
        synchronized List<Part<S, I, O>> done() {
            List<Part<S, I, O>> out = new ArrayList<>();
            for (int i = 0; i < parts.size() && i <= firstFailing; i++) {
                Part<S, I, O> p = done.get(i);
                out.add(p != null ? p : new Part<>(parts.get(i), Search.End.CANCELLED, new int[0]));
            }
            return out;
        }
    }

    /** The search of one partition, run to its end. */
    private static final class Part<S, I, O> {
        final List<Operation<I, O>> ops;
        final Search.End end;
        final int[] longest;

        Part(
                Model<S, I, O> model,
                List<Operation<I, O>> ops,
                long deadline,
                int memoLimit,
                AtomicBoolean cancel,
                boolean pruneReads) {
            this.ops = ops;
            Search<S, I, O> search = new Search<>(model, ops, memoLimit, pruneReads);
            this.end = search.run(deadline, cancel);
            this.longest = search.longest();
        }

        Part(List<Operation<I, O>> ops, Search.End end, int[] longest) {
            this.ops = ops;
            this.end = end;
            this.longest = longest;
        }
    }
}
