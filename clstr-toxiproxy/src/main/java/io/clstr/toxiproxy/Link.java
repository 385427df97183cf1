package io.clstr.toxiproxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;

/**
 * One direction of a connection: reads from its source socket, passes what it read through its chain of toxics,
 * and writes what comes out to its destination socket. Loop thread only.
 *
 * <p>While no toxic of the chain is active, bytes go straight from the shared read buffer to the destination
 * socket; only what the socket does not take at once is copied. Reading stops while more than
 * {@link #MAX_IN_FLIGHT} bytes are held in the chain or wait to be written, so a slow reader slows the writer.
 */
final class Link {
    static final long MAX_IN_FLIGHT = 512 * 1024;

    private final Connection connection;
    private final Side source;
    private final Side dest;
    private final EventLoop loop;
    private final Timers timers;
    private final Random toxicityRandom;
    private final Random random;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private Toxic first;
    private Toxic last;
    private int activeToxics;
    private long inFlight;
    private boolean sourceEnded;
    private boolean finished;
    private boolean closeAfterFlush;
    private boolean disposed;

    Link(
            Connection connection,
            Direction direction,
            Side source,
            Side dest,
            EventLoop loop,
            Timers timers,
            long seed,
            List<ToxicSpec> toxics) {
        this.connection = connection;
        this.source = source;
        this.dest = dest;
        this.loop = loop;
        this.timers = timers;
        this.toxicityRandom = new Random(seed);
        this.random = new Random(Seeds.mix(seed));
        for (ToxicSpec spec : toxics) {
            if (spec.stream() == direction) {
                addToxic(spec);
            }
        }
    }

    /** Randomness for what toxics do to chunks (jitter, slice sizes), apart from the toxicity draws. */
    Random random() {
        return random;
    }

    Timers timers() {
        return timers;
    }

    boolean wantsRead() {
        return !sourceEnded && !finished && inFlight < MAX_IN_FLIGHT;
    }

    boolean wantsWrite() {
        return !pending.isEmpty();
    }

    void readable() {
        if (sourceEnded || finished) {
            return;
        }
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        int count;
        try {
            count = source.channel.read(buffer);
        } catch (IOException e) {
            count = -1;
        }
        if (count < 0) {
            sourceEnded();
            return;
        }
        if (count == 0) {
            return;
        }
        buffer.flip();
        if (activeToxics == 0) {
            writeThrough(buffer);
        } else {
            byte[] bytes = new byte[count];
            buffer.get(bytes);
            inFlight += count;
            first.receive(new Chunk(bytes, System.nanoTime()));
        }
        source.updateInterest();
    }

    void writable() {
        while (!pending.isEmpty()) {
            ByteBuffer buffer = pending.peek();
            if (!writeToDest(buffer)) {
                return;
            }
            if (buffer.hasRemaining()) {
                break;
            }
            pending.poll();
        }
        if (pending.isEmpty() && closeAfterFlush) {
            closeDest();
            return;
        }
        dest.updateInterest();
        source.updateInterest();
    }

    /** Writes what the destination socket takes now; false (and the link torn down) if the write failed. */
    private boolean writeToDest(ByteBuffer buffer) {
        int written;
        try {
            written = dest.channel.write(buffer);
        } catch (IOException e) {
            writeFailed();
            return false;
        }
        inFlight -= written;
        return true;
    }

    /** The source socket reached its end (or failed, or was closed): the end travels through the chain. */
    void sourceEnded() {
        if (sourceEnded || disposed) {
            return;
        }
        sourceEnded = true;
        source.updateInterest();
        if (first == null) {
            deliverEnd(false);
        } else {
            first.receiveEnd(false);
        }
    }

    /** The end of the chain: writes a chunk to the destination socket. */
    void deliver(Chunk chunk) {
        if (finished) {
            release(chunk.length());
            return;
        }
        ByteBuffer buffer = chunk.buffer();
        if (pending.isEmpty()) {
            if (!writeToDest(buffer)) {
                return;
            }
            if (!buffer.hasRemaining()) {
                source.updateInterest();
                return;
            }
        }
        pending.add(buffer);
        dest.updateInterest();
    }

    /** The end of the chain: the stream ended, so the destination is closed once what is pending is written. */
    void deliverEnd(boolean reset) {
        if (finished || disposed) {
            return;
        }
        finished = true;
        if (reset) {
            connection.abort(true);
            return;
        }
        if (pending.isEmpty()) {
            closeDest();
        } else {
            closeAfterFlush = true;
            source.updateInterest();
        }
    }

    /** A toxic dropped bytes: they no longer count against the read limit. */
    void release(int bytes) {
        inFlight -= bytes;
        source.updateInterest();
    }

    void addToxic(ToxicSpec spec) {
        Toxic toxic = spec.type().create(spec, this);
        toxic.prev = last;
        if (last == null) {
            first = toxic;
        } else {
            last.next = toxic;
        }
        last = toxic;
        if (draw(spec.toxicity())) {
            activeToxics++;
            toxic.activate();
        }
    }

    void updateToxic(ToxicSpec spec) {
        Toxic toxic = find(spec.name());
        if (toxic == null) {
            return;
        }
        boolean active = draw(spec.toxicity());
        if (active != toxic.active) {
            activeToxics += active ? 1 : -1;
        }
        toxic.update(spec, active);
    }

    void removeToxic(String name) {
        Toxic toxic = find(name);
        if (toxic == null) {
            return;
        }
        if (toxic.active) {
            activeToxics--;
        }
        toxic.removed();
        if (toxic.prev == null) {
            first = toxic.next;
        } else {
            toxic.prev.next = toxic.next;
        }
        if (toxic.next == null) {
            last = toxic.prev;
        } else {
            toxic.next.prev = toxic.prev;
        }
        toxic.dispose();
    }

    void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        finished = true;
        pending.clear();
        for (Toxic toxic = first; toxic != null; toxic = toxic.next) {
            toxic.dispose();
        }
    }

    private boolean draw(float toxicity) {
        return toxicityRandom.nextFloat() < toxicity;
    }

    private Toxic find(String name) {
        for (Toxic toxic = first; toxic != null; toxic = toxic.next) {
            if (toxic.spec.name().equals(name)) {
                return toxic;
            }
        }
        return null;
    }

    private void writeThrough(ByteBuffer buffer) {
        if (finished) {
            return;
        }
        if (pending.isEmpty()) {
            try {
                dest.channel.write(buffer);
            } catch (IOException e) {
                writeFailed();
                return;
            }
            if (!buffer.hasRemaining()) {
                return;
            }
        }
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer).flip();
        pending.add(copy);
        inFlight += copy.remaining();
        dest.updateInterest();
    }

    private void writeFailed() {
        pending.clear();
        finished = true;
        closeAfterFlush = false;
        closeDest();
    }

    private void closeDest() {
        dest.close(false);
        connection.closed(dest);
    }
}
