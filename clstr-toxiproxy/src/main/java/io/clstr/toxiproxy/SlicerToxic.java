package io.clstr.toxiproxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits chunks into pieces of about {@code average_size} ± {@code size_variation} bytes, as Toxiproxy does (halving
 * until a piece is small enough), and waits {@code delay} microseconds after each piece.
 */
final class SlicerToxic extends HoldingToxic {
    private long lastEmit = Long.MIN_VALUE;

    SlicerToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    @Override
    protected void onData(Chunk chunk) {
        List<int[]> pieces = cut(chunk.length());
        for (int[] piece : pieces) {
            hold(chunk.slice(piece[0], piece[1] - piece[0]), 0);
        }
    }

    @Override
    protected void pump() {
        Held head;
        while (!disposed() && (head = held.peek()) != null) {
            long now = now();
            long due = lastEmit == Long.MIN_VALUE ? now : lastEmit + delayNanos();
            if (due > now) {
                wakeAt(due);
                return;
            }
            held.poll();
            lastEmit = now;
            emit(head);
        }
    }

    @Override
    protected void replan() {
        // Every piece is due one delay after the previous one; pump() reads the new delay.
    }

    private long delayNanos() {
        return microsToNanos(attribute("delay"));
    }

    /** Toxiproxy's split: a range is kept when it is at most average + variation long, else cut near its middle. */
    private List<int[]> cut(int length) {
        long average = attribute("average_size");
        long variation = Math.max(0, attribute("size_variation"));
        List<int[]> pieces = new ArrayList<>();
        ArrayDeque<int[]> todo = new ArrayDeque<>();
        todo.push(new int[] {0, length});
        while (!todo.isEmpty()) {
            int[] range = todo.pop();
            int size = range[1] - range[0];
            if (size <= 1 || size - average <= variation) {
                pieces.add(range);
                continue;
            }
            long middle = range[0] + size / 2;
            if (variation > 0) {
                long bound = Math.min(variation * 2, Integer.MAX_VALUE);
                middle += link.random().nextLong(bound) - variation;
            }
            int cut = (int) Math.max(range[0] + 1, Math.min(range[1] - 1, middle));
            todo.push(new int[] {cut, range[1]});
            todo.push(new int[] {range[0], cut});
        }
        return pieces;
    }
}
