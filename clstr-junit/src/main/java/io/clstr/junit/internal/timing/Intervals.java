package io.clstr.junit.internal.timing;

import java.util.Arrays;

/**
 * Stretches of time ({@link System#nanoTime()}) added from any thread, kept as their union: what
 * counts is how much of the clock they cover, not how many overlap. Compacts itself into the union
 * once many are held, so a stage of a million requests does not hold a million pairs.
 */
final class Intervals {
    private static final int COMPACT_AT = 1 << 14;

    private long[] starts = new long[64];
    private long[] ends = new long[64];
    private int size;
    private int compactAt = COMPACT_AT;

    /** Adds {@code [start, end)}; an empty or reversed one adds nothing. */
    synchronized void add(long start, long end) {
        if (end - start <= 0) {
            return;
        }
        if (size == starts.length) {
            if (size >= compactAt) {
                long[] union = union(Arrays.copyOf(starts, size), Arrays.copyOf(ends, size));
                size = union.length / 2;
                for (int i = 0; i < size; i++) {
                    starts[i] = union[2 * i];
                    ends[i] = union[2 * i + 1];
                }
                if (size > compactAt / 2) {
                    compactAt *= 2;
                }
            }
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
        }
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    /** The union as disjoint stretches in order: start, end, start, end... */
    synchronized long[] union() {
        return union(Arrays.copyOf(starts, size), Arrays.copyOf(ends, size));
    }

    /**
     * The union of the stretches {@code [starts[i], ends[i])}: sorted apart, the starts and ends
     * still tell where the count of covering stretches rises from zero and falls back to it.
     */
    private static long[] union(long[] starts, long[] ends) {
        Arrays.sort(starts);
        Arrays.sort(ends);
        long[] out = new long[2 * starts.length];
        int n = 0;
        int depth = 0;
        int s = 0;
        int e = 0;
        while (e < ends.length) {
            if (s < starts.length && starts[s] - ends[e] <= 0) {
                if (depth++ == 0) {
                    out[n++] = starts[s];
                }
                s++;
            } else {
                if (--depth == 0) {
                    out[n++] = ends[e];
                }
                e++;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
