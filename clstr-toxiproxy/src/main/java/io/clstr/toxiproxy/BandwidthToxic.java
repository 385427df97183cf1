package io.clstr.toxiproxy;

/**
 * Limits the rate to {@code rate} KB/s (1 KB = 1000 bytes): every byte goes only once the bytes before it had
 * their time; a chunk larger than 100 ms worth of bytes goes in 100 ms pieces. A rate of 0 holds everything until
 * the toxic is removed or changed.
 */
final class BandwidthToxic extends HoldingToxic {
    private long cursor;

    BandwidthToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    @Override
    protected void onData(Chunk chunk) {
        hold(chunk, 0);
    }

    @Override
    protected void pump() {
        Held head;
        while (!disposed() && (head = held.peek()) != null) {
            if (head.isEnd()) {
                held.poll();
                emit(head);
                return;
            }
            long rate = attribute("rate");
            if (rate <= 0) {
                return;
            }
            int piece = pieceSize(head.chunk.length(), rate);
            long now = now();
            if (head.due == 0) {
                head.due = Math.max(cursor, now) + piece * 1_000_000L / rate;
            }
            if (head.due > now) {
                wakeAt(head.due);
                return;
            }
            cursor = head.due;
            head.due = 0;
            if (piece == head.chunk.length()) {
                held.poll();
                forward(head.chunk);
            } else {
                Chunk whole = head.chunk;
                head.chunk = whole.slice(piece, whole.length() - piece);
                forward(whole.slice(0, piece));
            }
        }
    }

    @Override
    protected void replan() {
        cursor = Math.min(cursor, now());
        Held head = held.peek();
        if (head != null) {
            head.due = 0;
        }
    }

    private static int pieceSize(int length, long rate) {
        long perHundredMillis = rate > Integer.MAX_VALUE / 100 ? Integer.MAX_VALUE : rate * 100;
        return (int) Math.min(length, Math.max(1, perHundredMillis));
    }
}
