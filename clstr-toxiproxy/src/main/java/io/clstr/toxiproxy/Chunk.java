package io.clstr.toxiproxy;

import java.nio.ByteBuffer;

/** Bytes read from one socket in one go, or a slice of them, with the time they arrived at the proxy. */
final class Chunk {
    private final byte[] data;
    private final int offset;
    private final int length;
    private final long arrivedNanos;

    Chunk(byte[] data, long arrivedNanos) {
        this(data, 0, data.length, arrivedNanos);
    }

    private Chunk(byte[] data, int offset, int length, long arrivedNanos) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.arrivedNanos = arrivedNanos;
    }

    int length() {
        return length;
    }

    long arrivedNanos() {
        return arrivedNanos;
    }

    /** A view of part of this chunk, sharing its bytes and arrival time. */
    Chunk slice(int from, int count) {
        if (from < 0 || count < 0 || from + count > length) {
            throw new IndexOutOfBoundsException("slice " + from + "+" + count + " of " + length);
        }
        return new Chunk(data, offset + from, count, arrivedNanos);
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(data, offset, length);
    }
}
