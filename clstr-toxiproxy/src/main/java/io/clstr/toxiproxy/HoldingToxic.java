package io.clstr.toxiproxy;

import java.util.ArrayDeque;

/** A toxic that holds chunks (and the end of the stream behind them) in order, and lets them go on a schedule. */
abstract class HoldingToxic extends Toxic {

    /** A held chunk, or the end of the stream when chunk is null, with the time it may go (0 = not planned yet). */
    protected static final class Held {
        Chunk chunk;
        final boolean reset;
        long due;

        Held(Chunk chunk, boolean reset, long due) {
            this.chunk = chunk;
            this.reset = reset;
            this.due = due;
        }

        boolean isEnd() {
            return chunk == null;
        }
    }

    protected final ArrayDeque<Held> held = new ArrayDeque<>();
    private Timers.Task timer;

    protected HoldingToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    /** Lets go of whatever is due and wakes up again when the next one will be. */
    protected abstract void pump();

    /** Recomputes the times of what is held after the attributes changed. */
    protected abstract void replan();

    protected final void hold(Chunk chunk, long due) {
        held.add(new Held(chunk, false, due));
        if (timer == null) {
            pump();
        }
    }

    protected final void holdEnd(boolean reset, long due) {
        held.add(new Held(null, reset, due));
        if (timer == null) {
            pump();
        }
    }

    protected final void emit(Held item) {
        if (item.isEnd()) {
            forwardEnd(item.reset);
        } else {
            forward(item.chunk);
        }
    }

    protected final void wakeAt(long dueNanos) {
        cancelTimer();
        timer = schedule(dueNanos - now(), () -> {
            timer = null;
            pump();
        });
    }

    @Override
    protected void onEnd(boolean reset) {
        holdEnd(reset, 0);
    }

    @Override
    protected final void flush() {
        cancelTimer();
        Held item;
        while (!disposed() && (item = held.poll()) != null) {
            emit(item);
        }
    }

    @Override
    protected final void reconfigure() {
        cancelTimer();
        replan();
        pump();
    }

    @Override
    void dispose() {
        super.dispose();
        cancelTimer();
        held.clear();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
