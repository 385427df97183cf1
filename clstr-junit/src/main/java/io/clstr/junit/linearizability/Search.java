package io.clstr.junit.linearizability;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lowe's just-in-time depth-first linearization search over one partition, memoising (linearized
 * set, state), with three reductions that keep every verdict:
 *
 * <ul>
 *   <li>A completed read-only operation (see {@link Model#readOnly}) that may come next and is legal
 *       goes next, without trying the alternatives: moved to the front, it changes no state and
 *       breaks no real-time order, so a linearization exists with it there if one exists at all.
 *   <li>Completed operations are tried before open ones, and an open operation is never placed
 *       where it leaves the state as it was (leaving it out is the same and keeps it for later).
 *   <li>Of open operations alike (same input and output), only the earliest called one not yet
 *       placed may be placed: they can swap places in any linearization.
 * </ul>
 */
final class Search<S, I, O> {

    /** How a search ended. */
    enum End {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        TIMED_OUT,
        CANCELLED
    }

    private static final int CHECK_EVERY = 1 << 10;
    /** How an operation on the stack was chosen: the forced read-only step, or a branch of a phase. */
    private static final byte FORCED = 0;

    private static final byte COMPLETED = 1;
    private static final byte OPEN = 2;

    private final Model<S, I, O> model;
    private final int n;
    private final Object[] inputs;
    private final Object[] outputs;
    private final boolean[] open;
    private final boolean[] readOnly;
    /** For an open operation, the latest one called before it with the same input and output, else -1. */
    private final int[] twin;

    private final int[] next;
    private final int[] prev;
    private final int head;
    private int[] longest = new int[0];
    private long steps;

    Search(Model<S, I, O> model, List<Operation<I, O>> ops) {
        this.model = model;
        this.n = ops.size();
        this.inputs = new Object[n];
        this.outputs = new Object[n];
        this.open = new boolean[n];
        this.readOnly = new boolean[n];
        this.twin = new int[n];
        for (int i = 0; i < n; i++) {
            Operation<I, O> op = ops.get(i);
            inputs[i] = op.input();
            outputs[i] = op.output();
            open[i] = op.isOpen();
            readOnly[i] = !open[i] && model.readOnly(op.input(), op.output());
        }
        this.head = 2 * n;
        this.next = new int[2 * n + 1];
        this.prev = new int[2 * n + 1];
        link(ops);
        pairTwins();
    }

    /** Entry e: op e >> 1, a call if e is even, a return if odd; sorted by time, calls before returns. */
    private void link(List<Operation<I, O>> ops) {
        long[] keys = new long[2 * n];
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < n; i++) {
            order[2 * i] = 2 * i;
            order[2 * i + 1] = 2 * i + 1;
            keys[2 * i] = ops.get(i).callNanos();
            keys[2 * i + 1] = ops.get(i).returnNanos();
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(keys[a], keys[b]);
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

    private record Alike(Object input, Object output) {}

    private void pairTwins() {
        Arrays.fill(twin, -1);
        Map<Alike, Integer> latest = new HashMap<>();
        for (int e = next[head]; e >= 0; e = next[e]) {
            int op = e >> 1;
            if ((e & 1) == 0 && open[op]) {
                Integer before = latest.put(new Alike(inputs[op], outputs[op]), op);
                twin[op] = before == null ? -1 : before;
            }
        }
    }

    /** The longest partial linearization found, as operation indices in order. */
    int[] longest() {
        return longest;
    }

    /** How many candidate steps the search examined (a measure of its work, for tests). */
    long steps() {
        return steps;
    }

    /** Runs the search until a verdict, the deadline or a cancellation. */
    @SuppressWarnings("unchecked")
    End run(long deadlineNanos, AtomicBoolean cancel) {
        int remaining = 0;
        int openLeft = 0; // open operations not placed
        for (int i = 0; i < n; i++) {
            if (open[i]) {
                openLeft++;
            } else {
                remaining++;
            }
        }
        if (remaining == 0) {
            return End.LINEARIZABLE;
        }
        Bits linearized = new Bits(n);
        MemoTable seen = new MemoTable(linearized.words.length);
        int[] stackOp = new int[n];
        byte[] stackHow = new byte[n];
        Object[] stackState = new Object[n];
        int depth = 0;
        S state = model.init();
        boolean fresh = true; // at a node not yet scanned
        int entry = next[head];
        byte phase = COMPLETED;
        while (true) {
            if ((++steps & (CHECK_EVERY - 1)) == 0) {
                if (cancel.get()) {
                    return End.CANCELLED;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    return End.TIMED_OUT;
                }
            }
            int chosen = -1;
            S after = null;
            byte how = phase;
            boolean backtrack = false;
            if (fresh) {
                fresh = false;
                entry = next[head];
                phase = COMPLETED;
                for (int e = entry; e >= 0 && (e & 1) == 0; e = next[e]) {
                    int op = e >> 1;
                    if (readOnly[op]) {
                        S s = model.step(state, (I) inputs[op], (O) outputs[op]);
                        if (s != null) {
                            chosen = op;
                            after = s;
                            how = FORCED;
                            break;
                        }
                    }
                }
            }
            if (chosen < 0) {
                if (entry < 0 || (entry & 1) != 0) {
                    if (phase == COMPLETED && openLeft > 0) {
                        phase = OPEN;
                        entry = next[head];
                        continue;
                    }
                    backtrack = true;
                } else {
                    int op = entry >> 1;
                    entry = next[entry];
                    if (open[op] != (phase == OPEN)
                            || readOnly[op]
                            || (phase == OPEN && twin[op] >= 0 && !linearized.get(twin[op]))) {
                        continue;
                    }
                    S s = model.step(state, (I) inputs[op], (O) outputs[op]);
                    if (s == null || (phase == OPEN && s.equals(state))) {
                        continue;
                    }
                    chosen = op;
                    after = s;
                    how = phase;
                }
            }
            if (chosen >= 0) {
                linearized.set(chosen);
                if (seen.add(linearized, after)) {
                    stackOp[depth] = chosen;
                    stackHow[depth] = how;
                    stackState[depth] = state;
                    depth++;
                    if (open[chosen]) {
                        openLeft--;
                    } else if (--remaining == 0) {
                        return End.LINEARIZABLE;
                    }
                    state = after;
                    lift(2 * chosen);
                    fresh = true;
                    continue;
                }
                linearized.clear(chosen);
                if (how != FORCED) {
                    continue;
                }
                backtrack = true; // the forced step leads where the search has failed before
            }
            if (backtrack) {
                byte undoneHow;
                do {
                    if (depth == 0) {
                        return End.NOT_LINEARIZABLE;
                    }
                    if (depth > longest.length) {
                        longest = Arrays.copyOf(stackOp, depth);
                    }
                    depth--;
                    int undone = stackOp[depth];
                    undoneHow = stackHow[depth];
                    state = (S) stackState[depth];
                    stackState[depth] = null;
                    linearized.clear(undone);
                    if (open[undone]) {
                        openLeft++;
                    } else {
                        remaining++;
                    }
                    unlift(2 * undone);
                    entry = next[2 * undone];
                } while (undoneHow == FORCED);
                phase = undoneHow;
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

        boolean get(int i) {
            return (words[i >>> 6] & (1L << i)) != 0;
        }

        void set(int i) {
            words[i >>> 6] |= 1L << i;
            hash += mix(i);
        }

        void clear(int i) {
            words[i >>> 6] &= ~(1L << i);
            hash -= mix(i);
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

    /**
     * The configurations (linearized set, state) seen, in an open-addressing table: the sets' words
     * in one flat array, no object per entry but the state itself.
     */
    static final class MemoTable {
        private final int width;
        private long[] words;
        private Object[] states;
        private int[] hashes;
        /** Entry index + 1 per slot, 0 when empty; a power of two long, at most half full. */
        private int[] slots = new int[1 << 10];

        private int size;

        MemoTable(int width) {
            this.width = width;
            this.words = new long[width * 256];
            this.states = new Object[256];
            this.hashes = new int[256];
        }

        int size() {
            return size;
        }

        /** Adds the configuration; false if it was there already. */
        boolean add(Bits set, Object state) {
            int hash = spread(set.hash() * 31 + state.hashCode());
            int mask = slots.length - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                int slot = slots[i];
                if (slot == 0) {
                    insert(i, hash, set.words, state);
                    return true;
                }
                int e = slot - 1;
                if (hashes[e] == hash && sameWords(e, set.words) && states[e].equals(state)) {
                    return false;
                }
            }
        }

        private boolean sameWords(int e, long[] set) {
            int base = e * width;
            for (int w = 0; w < width; w++) {
                if (words[base + w] != set[w]) {
                    return false;
                }
            }
            return true;
        }

        private void insert(int slot, int hash, long[] set, Object state) {
            if (size == states.length) {
                int grown = size * 2;
                words = Arrays.copyOf(words, grown * width);
                states = Arrays.copyOf(states, grown);
                hashes = Arrays.copyOf(hashes, grown);
            }
            System.arraycopy(set, 0, words, size * width, width);
            states[size] = state;
            hashes[size] = hash;
            size++;
            slots[slot] = size;
            if (size * 2 > slots.length) {
                rehash();
            }
        }

        private void rehash() {
            int[] grown = new int[slots.length * 2];
            int mask = grown.length - 1;
            for (int e = 0; e < size; e++) {
                int i = hashes[e] & mask;
                while (grown[i] != 0) {
                    i = (i + 1) & mask;
                }
                grown[i] = e + 1;
            }
            slots = grown;
        }

        private static int spread(int h) {
            h ^= h >>> 16;
            h *= 0x7FEB352D;
            h ^= h >>> 15;
            return h;
        }
    }
}
