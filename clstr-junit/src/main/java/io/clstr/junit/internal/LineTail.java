package io.clstr.junit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of some output (a node's log, a build's), oldest first; older lines fall out once
 * {@code capacity} is reached. Thread-safe.
 */
public final class LineTail {
    private final int capacity;
    private final ArrayDeque<String> lines;

    public LineTail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** The last {@code count} lines (fewer if fewer were added), oldest first. */
    public synchronized List<String> tail(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        List<String> all = new ArrayList<>(lines);
        return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
    }
}
