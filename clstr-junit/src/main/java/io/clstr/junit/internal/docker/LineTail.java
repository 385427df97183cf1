package io.clstr.junit.internal.docker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last lines of some output, oldest first; older lines fall out once the capacity is reached. Thread-safe. */
final class LineTail {
    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    LineTail(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** The last {@code count} lines (fewer if fewer were added), oldest first. */
    synchronized List<String> tail(int count) {
        List<String> all = new ArrayList<>(lines);
        return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
    }
}
