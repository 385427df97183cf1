package io.clstr.junit.linearizability;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *   <li>When the model declares parts ({@link Model#part}), only the operations of one part are
 *       branched on at a time, failures are remembered per part, and the search backjumps over
 *       choices on other parts (see {@link #run}).
 * </ul>
 */
final class Search<S, I, O> {

    /** How a search ended. */
    enum End {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        TIMED_OUT,
        CANCELLED,
        /** A memo table reached its limit of configurations (see {@link MemoTable#maxEntries}): no verdict. */
        MEMO_FULL
    }

    /** No limit on the memo tables but the largest they can hold. */
    static final int NO_MEMO_LIMIT = Integer.MAX_VALUE;

    private static final int CHECK_EVERY = 1 << 10;
    /** How many entries {@link #unreachableRead} looks at, at most: without reads it would walk the rest of the part. */
    private static final int READ_SCAN = 256;
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
    /**
     * Whether each operation only extends the state ({@link Model#extendsOnly}), and whether the
     * search abandons configurations where a read cannot be reached ({@link #unreachableRead}).
     */
    private final boolean[] extendsOnly;

    private final boolean pruneReads;
    /** For an open operation, the latest one called before it with the same input and output, else -1. */
    private final int[] twin;

    /** The part of each operation (see {@link Model#part}), its index among its part's, and the parts' sizes. */
    private final int[] part;

    private final int[] local;
    private final Object[] partKeys;
    private final int[] partSizes;

    /**
     * Each part's entries not yet placed, linked in time order from its head, 2n + part (entry e: op
     * e >> 1, its call if e is even, its return if odd; calls before returns at the same time).
     */
    private final int[] next;

    private final int[] prev;
    /** The operations not yet placed linked in order of return from head n: the first must return first. */
    private final int[] nextReturn;

    private final int[] prevReturn;
    /** The most configurations a memo table may hold (at most what it can hold, see {@link MemoTable#maxEntries}). */
    private final int memoLimit;

    private int[] longest = new int[0];
    private long steps;

    Search(Model<S, I, O> model, List<Operation<I, O>> ops) {
        this(model, ops, NO_MEMO_LIMIT, true);
    }

    /**
     * A search whose memo tables hold at most {@code memoLimit} configurations each, abandoning
     * configurations where a read cannot be reached if {@code pruneReads} (the verdict is the same;
     * without, the longest partial linearization goes on until no operation can come next).
     */
    Search(Model<S, I, O> model, List<Operation<I, O>> ops, int memoLimit, boolean pruneReads) {
        this.model = model;
        this.memoLimit = memoLimit;
        this.n = ops.size();
        this.inputs = new Object[n];
        this.outputs = new Object[n];
        this.open = new boolean[n];
        this.readOnly = new boolean[n];
        this.twin = new int[n];
        this.extendsOnly = new boolean[n];
        boolean extending = false;
        for (int i = 0; i < n; i++) {
            Operation<I, O> op = ops.get(i);
            inputs[i] = op.input();
            outputs[i] = op.output();
            open[i] = op.isOpen();
            readOnly[i] = !open[i] && model.readOnly(op.input(), op.output());
            extendsOnly[i] = model.extendsOnly(op.input());
            extending |= extendsOnly[i];
        }
        this.pruneReads = pruneReads && extending;
        this.part = new int[n];
        this.local = new int[n];
        Map<Object, Integer> parts = new HashMap<>();
        boolean whole = false;
        for (int i = 0; i < n && !whole; i++) {
            Object p = model.part(ops.get(i).input());
            whole = p == null;
            Integer at = whole ? null : parts.get(p);
            if (!whole && at == null) {
                at = parts.size();
                parts.put(p, at);
            }
            part[i] = whole ? 0 : at;
        }
        if (whole || parts.size() <= 1) {
            Arrays.fill(part, 0);
            this.partKeys = new Object[] {null};
            this.partSizes = new int[] {n};
            for (int i = 0; i < n; i++) {
                local[i] = i;
            }
        } else {
            this.partKeys = new Object[parts.size()];
            for (Map.Entry<Object, Integer> e : parts.entrySet()) {
                partKeys[e.getValue()] = e.getKey();
            }
            this.partSizes = new int[parts.size()];
            for (int i = 0; i < n; i++) {
                local[i] = partSizes[part[i]]++;
            }
        }
        this.next = new int[2 * n + partKeys.length];
        this.prev = new int[2 * n + partKeys.length];
        this.nextReturn = new int[n + 1];
        this.prevReturn = new int[n + 1];
        link(ops);
        pairTwins();
    }

    private void link(List<Operation<I, O>> ops) {
        long[] keys = new long[2 * n];
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < n; i++) {
            order[2 * i] = 2 * i;
            order[2 * i + 1] = 2 * i + 1;
            keys[2 * i] = ops.get(i).callNanos();
            keys[2 * i + 1] = ops.get(i).returnNanos();
        }
        Arrays.sort(order, new EventOrder(keys));
        int[] last = new int[partKeys.length];
        for (int p = 0; p < last.length; p++) {
            last[p] = 2 * n + p;
            prev[last[p]] = -1;
        }
        int lastReturn = n;
        prevReturn[n] = -1;
        for (int e : order) {
            int p = part[e >> 1];
            next[last[p]] = e;
            prev[e] = last[p];
            last[p] = e;
            if ((e & 1) != 0) {
                nextReturn[lastReturn] = e >> 1;
                prevReturn[e >> 1] = lastReturn;
                lastReturn = e >> 1;
            }
        }
        for (int l : last) {
            next[l] = -1;
        }
        nextReturn[lastReturn] = -1;
    }

    /** Entries by time, calls before returns at the same time (a class, not a lambda: no bootstrap on a cold start). */
    private static final class EventOrder implements Comparator<Integer> {
        private final long[] times;

        EventOrder(long[] times) {
            this.times = times;
        }

        @Override
        public int compare(Integer a, Integer b) {
            int c = Long.compare(times[a], times[b]);
            return c != 0 ? c : Integer.compare(a & 1, b & 1);
        }
    }

    /**
     * An open operation's input and output, compared as values (equals and hashCode written out: a
     * record's are bootstrapped on first use, tens of milliseconds in a fresh JVM).
     */
    private static final class Alike {
        private final Object input;
        private final Object output;

        Alike(Object input, Object output) {
            this.input = input;
            this.output = output;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Alike a && Objects.equals(input, a.input) && Objects.equals(output, a.output);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(input) * 31 + Objects.hashCode(output);
        }
    }

    private void pairTwins() {
        Arrays.fill(twin, -1);
        Map<Alike, Integer> latest = new HashMap<>();
        for (int p = 0; p < partKeys.length; p++) {
            for (int e = next[2 * n + p]; e >= 0; e = next[e]) {
                int op = e >> 1;
                if ((e & 1) == 0 && open[op]) {
                    Integer before = latest.put(new Alike(inputs[op], outputs[op]), op);
                    twin[op] = before == null ? -1 : before;
                }
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

    /** The state of part {@code p} in {@code state}: the whole state when there is one part. */
    private Object partState(S state, int p) {
        return partKeys.length == 1 ? state : model.partState(state, partKeys[p]);
    }

    /**
     * Runs the search until a verdict, the deadline or a cancellation.
     *
     * <p>With parts, every failure is put down to one part p: the operations of p not yet placed
     * cannot be linearized from p's state on their own (by locality, one such part is why a
     * configuration fails). That (placed operations of p, state of p) is remembered as failing, in
     * p's memo, wherever it comes up again, and the search backjumps: every choice since the last one
     * on p left p as it was, so their alternatives fail as well. A configuration branches only on the
     * part of the operation that must return first (some linearization, if any, places an operation
     * of that part next: the first of them in it can be moved to the front, past operations on other
     * parts, which return no earlier; a read-only operation to place at once is looked for in that
     * part only); when all those branches fail for their own part, that part fails here too, as the
     * part's own next operation could only have been one of them. With one part this is Lowe's
     * search with a (linearized set, state) memo, remembered on the way in.
     */
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
        int parts = partKeys.length;
        Bits linearized = new Bits(n);
        Bits[] placed = new Bits[parts];
        MemoTable[] failed = new MemoTable[parts];
        for (int p = 0; p < parts; p++) {
            placed[p] = parts == 1 ? linearized : new Bits(partSizes[p]);
            failed[p] = new MemoTable(placed[p].words.length, memoLimit);
        }
        int[] stackOp = new int[n];
        byte[] stackHow = new byte[n];
        int[] stackPart = new int[n];
        Object[] stackState = new Object[n];
        int depth = 0;
        S state = model.init();
        boolean fresh = true; // at a node not yet scanned
        int entry = -1;
        byte phase = COMPLETED;
        int branch = 0; // the part this node branches on
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
            int fails = -1; // the part this node fails for, once it does
            if (fresh) {
                fresh = false;
                branch = parts == 1 ? 0 : part[nextReturn[n]]; // there is one while remaining > 0
                entry = next[2 * n + branch];
                phase = COMPLETED;
                if (pruneReads && unreachableRead(entry, state)) {
                    fails = branch;
                }
                for (int e = entry; fails < 0 && e >= 0 && (e & 1) == 0; e = next[e]) {
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
            if (chosen < 0 && fails < 0) {
                if (entry < 0 || (entry & 1) != 0) {
                    if (phase == COMPLETED && openLeft > 0) {
                        phase = OPEN;
                        entry = next[2 * n + branch];
                        continue;
                    }
                    fails = branch;
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
                int p = part[chosen];
                Bits set = placed[p];
                set.set(local[chosen]);
                // one part: a configuration seen before has failed (it is not on the path), so it is
                // remembered on the way in; with parts, only a part's failure is remembered
                boolean unseen = parts == 1 ? failed[0].add(set, after) : !failed[p].contains(set, partState(after, p));
                if (parts == 1 && failed[0].full()) {
                    return End.MEMO_FULL;
                }
                if (unseen) {
                    if (set != linearized) {
                        linearized.set(chosen);
                    }
                    stackOp[depth] = chosen;
                    stackHow[depth] = how;
                    stackPart[depth] = branch;
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
                set.clear(local[chosen]);
                if (how != FORCED) {
                    continue;
                }
                fails = p; // the forced step leads where its part has failed before
            }
            // This node fails for part `fails`: remember it, then undo choices until one on that part
            // that was a branch (its siblings are still to try).
            if (parts > 1 && !failed[fails].add(placed[fails], partState(state, fails)) && failed[fails].full()) {
                return End.MEMO_FULL;
            }
            while (true) {
                if (depth == 0) {
                    return End.NOT_LINEARIZABLE;
                }
                if (depth > longest.length) {
                    longest = Arrays.copyOf(stackOp, depth);
                }
                depth--;
                int undone = stackOp[depth];
                byte undoneHow = stackHow[depth];
                state = (S) stackState[depth];
                stackState[depth] = null;
                linearized.clear(undone);
                if (placed[part[undone]] != linearized) {
                    placed[part[undone]].clear(local[undone]);
                }
                if (open[undone]) {
                    openLeft++;
                } else {
                    remaining++;
                }
                unlift(2 * undone);
                if (part[undone] != fails) {
                    continue; // the node below failed for a part this choice did not touch
                }
                if (undoneHow == FORCED) {
                    if (parts > 1
                            && !failed[fails].add(placed[fails], partState(state, fails))
                            && failed[fails].full()) {
                        return End.MEMO_FULL;
                    }
                    continue;
                }
                entry = next[2 * undone];
                phase = undoneHow;
                branch = stackPart[depth];
                break;
            }
        }
    }

    /**
     * Whether a read the search must still place cannot be made legal: walking the part's entries
     * from {@code entry} in time order while every operation called so far only extends the state,
     * the first read-only operation to return, if the model says {@code state} cannot reach its
     * result ({@link Model#mayReach}). Only the operations called before it returns may come before
     * it, and those only extend the state, so no order of them helps. Gives up (false) after
     * {@link #READ_SCAN} entries.
     */
    @SuppressWarnings("unchecked")
    private boolean unreachableRead(int entry, S state) {
        int seen = 0;
        for (int e = entry; e >= 0 && seen++ < READ_SCAN; e = next[e]) {
            int op = e >> 1;
            if ((e & 1) == 0) {
                if (!extendsOnly[op]) {
                    return false;
                }
            } else if (readOnly[op]) {
                return !model.mayReach(state, (I) inputs[op], (O) outputs[op]);
            }
        }
        return false;
    }

    private void lift(int call) {
        int ret = call + 1;
        next[prev[call]] = next[call];
        if (next[call] >= 0) {
            prev[next[call]] = prev[call];
        }
        int op = call >> 1;
        if (partKeys.length > 1) {
            nextReturn[prevReturn[op]] = nextReturn[op];
            if (nextReturn[op] >= 0) {
                prevReturn[nextReturn[op]] = prevReturn[op];
            }
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
        int op = call >> 1;
        if (partKeys.length > 1) {
            nextReturn[prevReturn[op]] = op;
            if (nextReturn[op] >= 0) {
                prevReturn[nextReturn[op]] = op;
            }
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
     * in one flat array, no object per entry but the state itself. It holds at most a limit of
     * configurations: one more is not added, and the table is full from then on.
     */
    static final class MemoTable {
        /** The most slots: a power of two, the largest an int array may have. */
        private static final int MAX_SLOTS = 1 << 30;
        /** The largest array length allowed (a few words below Integer.MAX_VALUE, as the JDK's own). */
        private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

        private final int width;
        private final int limit;
        private boolean full;
        private long[] words;
        private Object[] states;
        private int[] hashes;
        /** Entry index + 1 per slot, 0 when empty; a power of two long, at most half full. */
        private int[] slots = new int[1 << 10];

        private int size;

        MemoTable(int width, int limit) {
            this.width = width;
            this.limit = Math.min(limit, maxEntries(width));
            int capacity = Math.max(1, Math.min(256, this.limit));
            this.words = new long[width * capacity];
            this.states = new Object[capacity];
            this.hashes = new int[capacity];
        }

        int size() {
            return size;
        }

        /**
         * The most configurations a table of sets {@code width} words wide can hold: its slots at
         * most half full, and its words in one array.
         */
        static int maxEntries(int width) {
            return Math.min(MAX_SLOTS / 2, MAX_ARRAY / Math.max(width, 1));
        }

        /** Whether a configuration was not added for want of room (the search then ends without a verdict). */
        boolean full() {
            return full;
        }

        /** Whether the configuration is there. */
        boolean contains(Bits set, Object state) {
            return slots[find(set, state, hash(set, state))] != 0;
        }

        /** Adds the configuration; false if it was there already, or if the table is full (see {@link #full}). */
        boolean add(Bits set, Object state) {
            int hash = hash(set, state);
            int i = find(set, state, hash);
            if (slots[i] != 0) {
                return false;
            }
            if (size >= limit) {
                full = true;
                return false;
            }
            insert(i, hash, set.words, state);
            return true;
        }

        private static int hash(Bits set, Object state) {
            return spread(set.hash() * 31 + state.hashCode());
        }

        /** The slot holding the configuration, or the empty slot where it would go. */
        private int find(Bits set, Object state, int hash) {
            int mask = slots.length - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                int slot = slots[i];
                if (slot == 0) {
                    return i;
                }
                int e = slot - 1;
                if (hashes[e] == hash && sameWords(e, set.words) && states[e].equals(state)) {
                    return i;
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
                int grown = (int) Math.min(2L * size, limit);
                words = Arrays.copyOf(words, grown * width);
                states = Arrays.copyOf(states, grown);
                hashes = Arrays.copyOf(hashes, grown);
            }
            System.arraycopy(set, 0, words, size * width, width); // size * width < MAX_ARRAY: see maxEntries
            states[size] = state;
            hashes[size] = hash;
            size++;
            slots[slot] = size;
            if (size > slots.length / 2 && slots.length < MAX_SLOTS) {
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
