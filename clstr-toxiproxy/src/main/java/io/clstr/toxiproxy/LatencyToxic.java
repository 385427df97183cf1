package io.clstr.toxiproxy;

/** Holds each chunk latency ± jitter milliseconds after it arrived at the proxy, keeping the order. */
final class LatencyToxic extends HoldingToxic {
    private static final long MAX_MILLIS = 1L << 40;

    private long lastDue;

    LatencyToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    @Override
    protected void onData(Chunk chunk) {
        hold(chunk, dueFor(chunk));
    }

    @Override
    protected void onEnd(boolean reset) {
        holdEnd(reset, lastDue);
    }

    @Override
    protected void pump() {
        Held head;
        while (!disposed() && (head = held.peek()) != null) {
            if (head.due > now()) {
                wakeAt(head.due);
                return;
            }
            held.poll();
            emit(head);
        }
    }

    @Override
    protected void replan() {
        lastDue = 0;
        for (Held item : held) {
            item.due = item.isEnd() ? lastDue : dueFor(item.chunk);
        }
    }

    private long dueFor(Chunk chunk) {
        long due = Math.max(chunk.arrivedNanos() + delayNanos(), lastDue);
        lastDue = due;
        return due;
    }

    private long delayNanos() {
        long millis = Math.min(attribute("latency"), MAX_MILLIS);
        long jitter = Math.min(attribute("jitter"), MAX_MILLIS);
        if (jitter > 0) {
            millis += link.random().nextLong(jitter * 2) - jitter;
        }
        return millisToNanos(millis);
    }
}
