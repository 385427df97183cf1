package io.clstr.toxiproxy;

/**
 * One toxic as it runs on one link: it receives chunks and the end of the stream from the toxic before it, and
 * passes them on to the next one (or the destination socket) changed, held or dropped. An inactive toxic (its
 * toxicity draw failed) passes everything on untouched. Loop thread only.
 */
abstract class Toxic {
    protected final Link link;
    ToxicSpec spec;
    boolean active;
    Toxic prev;
    Toxic next;
    private boolean ended;
    private boolean disposed;

    protected Toxic(ToxicSpec spec, Link link) {
        this.spec = spec;
        this.link = link;
    }

    final void receive(Chunk chunk) {
        if (ended || disposed) {
            link.release(chunk.length());
        } else if (active) {
            onData(chunk);
        } else {
            forward(chunk);
        }
    }

    final void receiveEnd(boolean reset) {
        if (ended || disposed) {
            return;
        }
        ended = true;
        if (active) {
            onEnd(reset);
        } else {
            forwardEnd(reset);
        }
    }

    /** Makes this toxic active: on a new link, or when a new toxicity draw succeeded. */
    final void activate() {
        active = true;
        if (!ended) {
            started();
        }
    }

    /** New attributes or toxicity; the toxicity was drawn again. */
    final void update(ToxicSpec newSpec, boolean nowActive) {
        spec = newSpec;
        if (active && !nowActive) {
            active = false;
            flush();
        } else if (!active && nowActive) {
            activate();
        } else if (active) {
            reconfigure();
        }
    }

    /** The toxic is taken off the link: what it holds goes on at once. */
    void removed() {
        if (active) {
            flush();
        }
    }

    /** The connection is gone: stop every timer and drop what is held. */
    void dispose() {
        disposed = true;
    }

    protected boolean disposed() {
        return disposed;
    }

    /** Starts work that does not wait for data (timers); the default has none. */
    protected void started() {}

    protected abstract void onData(Chunk chunk);

    protected void onEnd(boolean reset) {
        forwardEnd(reset);
    }

    /** Lets everything held go on at once and stops timers (deactivated or removed). */
    protected void flush() {}

    /** Applies changed attributes while staying active. */
    protected void reconfigure() {}

    protected final void forward(Chunk chunk) {
        if (next == null) {
            link.deliver(chunk);
        } else {
            next.receive(chunk);
        }
    }

    protected final void forwardEnd(boolean reset) {
        if (next == null) {
            link.deliverEnd(reset);
        } else {
            next.receiveEnd(reset);
        }
    }

    /** Ends the stream here: what arrives later is dropped, and the end goes on. */
    protected final void endStream(boolean reset) {
        ended = true;
        forwardEnd(reset);
    }

    protected final void drop(Chunk chunk) {
        link.release(chunk.length());
    }

    protected final long attribute(String name) {
        return spec.attribute(name);
    }

    protected final Timers.Task schedule(long delayNanos, Runnable action) {
        return link.timers().schedule(delayNanos, action);
    }

    protected static long now() {
        return System.nanoTime();
    }

    protected static long millisToNanos(long millis) {
        return capped(millis, 1_000_000L);
    }

    protected static long microsToNanos(long micros) {
        return capped(micros, 1_000L);
    }

    /** value × unit for a non-negative result, capped far enough below overflow to add it to System.nanoTime(). */
    private static long capped(long value, long unit) {
        long limit = Long.MAX_VALUE / 4;
        if (value <= 0) {
            return 0;
        }
        return value > limit / unit ? limit : value * unit;
    }
}
