package io.clstr.junit.linearizability;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** Lowe's just-in-time depth-first linearization search over one partition, memoising (linearized set, state). */
final class Search<S, I, O> {

    /** How a search ended. */
    enum End {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        TIMED_OUT,
        CANCELLED
    }

    private static final int CHECK_EVERY = 1 << 10;

    private final Model<S, I, O> model;
    private final List<Operation<I, O>> ops;
    private final int n;
    private final int[] next;
    private final int[] prev;
    private final int head;
    private int[] longest = new int[0];

    Search(Model<S, I, O> model, List<Operation<I, O>> ops) {
        this.model = model;
        this.ops = ops;
        this.n = ops.size();
        this.head = 2 * n;
        this.next = new int[2 * n + 1];
        this.prev = new int[2 * n + 1];
        link();
    }

    /** Entry e: op e >> 1, a call if e is even, a return if odd; sorted by time, calls before returns. */
    private void link() {
        long[] keys = new long[2 * n];
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < n; i++) {
            order[2 * i] = 2 * i;
            order[2 * i + 1] = 2 * i + 1;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(time(a), time(b));
            return c != 0 ? c : Integer.compare(a & 1, b & 1);
        });
        int last = head;
        for (int e : order) {
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = -1;
        prev[head] = -1;
    }

    private long time(int entry) {
        Operation<I, O> op = ops.get(entry >> 1);
        return (entry & 1) == 0 ? op.callNanos() : op.returnNanos();
    }

    /** The longest partial linearization found, as operation indices in order. */
    int[] longest() {
        return longest;
    }

    /** Runs the search until a verdict, the deadline or a cancellation. */
    @SuppressWarnings("unchecked")
    End run(long deadlineNanos, AtomicBoolean cancel) {
        int remaining = 0;
        for (Operation<I, O> op : ops) {
            if (!op.isOpen()) {
                remaining++;
            }
        }
        if (remaining == 0) {
            return End.LINEARIZABLE;
        }
        Bits linearized = new Bits(n);
        Set<Memo> seen = new HashSet<>();
        int[] stackOp = new int[n];
        Object[] stackState = new Object[n];
        int depth = 0;
        S state = model.init();
        int entry = next[head];
        long steps = 0;
        while (true) {
            if ((++steps & (CHECK_EVERY - 1)) == 0) {
                if (cancel.get()) {
                    return End.CANCELLED;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    return End.TIMED_OUT;
                }
            }
            int op = entry >> 1;
            if ((entry & 1) == 0) {
                Operation<I, O> o = ops.get(op);
                S after = model.step(state, o.input(), o.output());
                if (after != null) {
                    linearized.set(op);
                    if (!seen.contains(new Memo(linearized.words, linearized.hash(), after))) {
                        seen.add(new Memo(linearized.snapshot(), linearized.hash(), after));
                        stackOp[depth] = op;
                        stackState[depth] = state;
                        depth++;
                        if (depth > longest.length) {
                            longest = Arrays.copyOf(stackOp, depth);
                        }
                        if (!o.isOpen() && --remaining == 0) {
                            return End.LINEARIZABLE;
                        }
                        state = after;
                        lift(entry);
                        entry = next[head];
                        continue;
                    }
                    linearized.clear(op);
                }
                entry = next[entry];
            } else {
                if (depth == 0) {
                    return End.NOT_LINEARIZABLE;
                }
                depth--;
                int undone = stackOp[depth];
                state = (S) stackState[depth];
                stackState[depth] = null;
                linearized.clear(undone);
                if (!ops.get(undone).isOpen()) {
                    remaining++;
                }
                unlift(2 * undone);
                entry = next[2 * undone];
            }
        }
    }

    private void lift(int call) {
        int ret = call + 1;
        next[prev[call]] = next[call];
        if (next[call] >= 0) {
            prev[next[call]] = prev[call];
        }
        next[prev[ret]] = next[ret];
        if (next[ret] >= 0) {
            prev[next[ret]] = prev[ret];
        }
    }

    private void unlift(int call) {
        int ret = call + 1;
        next[prev[ret]] = ret;
        if (next[ret] >= 0) {
            prev[next[ret]] = ret;
        }
        next[prev[call]] = call;
        if (next[call] >= 0) {
            prev[next[call]] = call;
        }
    }

    /** A compact bitset whose hash is kept up to date on every change. */
    static final class Bits {
        final long[] words;
        private int hash;

        Bits(int size) {
            words = new long[(size + 63) >>> 6];
        }

        void set(int i) {
            words[i >>> 6] |= 1L << i;
            hash += mix(i);
        }

        void clear(int i) {
            words[i >>> 6] &= ~(1L << i);
            hash -= mix(i);
        }

        long[] snapshot() {
            return words.clone();
        }

        int hash() {
            return hash;
        }

        private static int mix(int i) {
            int h = i * 0x9E3779B9;
            h ^= h >>> 16;
            h *= 0x85EBCA6B;
            return h ^ (h >>> 13);
        }
    }

    /** A memoised configuration: the set of linearized operations and the state reached. */
    static final class Memo {
        private final long[] words;
        private final Object state;
        private final int hash;

        Memo(long[] words, int bitsHash, Object state) {
            this.words = words;
            this.state = state;
            this.hash = bitsHash * 31 + state.hashCode();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Memo m && m.hash == hash && Arrays.equals(m.words, words) && m.state.equals(state);
        }
    }
}
