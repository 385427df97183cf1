package io.clstr.reference.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A state-machine command carried by a log entry. Values are raw bytes, kept exactly as the
 * client sent them. The binary form is what the WAL stores and what AppendEntries carries
 * (base64 in JSON).
 */
final class Command {

    enum Type {
        PUT,
        DELETE,
        CLEAR
    }

    private static final byte[] NO_BYTES = new byte[0];
    private static final Command CLEAR_COMMAND = new Command(Type.CLEAR, "", NO_BYTES);

    private final Type type;
    private final String key;
    private final byte[] value;

    private Command(Type type, String key, byte[] value) {
        this.type = type;
        this.key = key;
        this.value = value;
    }

    static Command put(String key, byte[] value) {
        return new Command(Type.PUT, key, value.clone());
    }

    static Command delete(String key) {
        return new Command(Type.DELETE, key, NO_BYTES);
    }

    static Command clear() {
        return CLEAR_COMMAND;
    }

    Type type() {
        return type;
    }

    String key() {
        return key;
    }

    /** The value bytes; callers must not modify them. */
    byte[] value() {
        return value;
    }

    /** {@code [type:1][keyLength:4][key UTF-8][value...]}. */
    byte[] encode() {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + keyBytes.length + value.length);
        buffer.put((byte) type.ordinal()).putInt(keyBytes.length).put(keyBytes).put(value);
        return buffer.array();
    }

    static Command decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.remaining() < 5) {
            throw new IllegalArgumentException("command of " + bytes.length + " bytes is too short");
        }
        int typeIndex = buffer.get();
        Type[] types = Type.values();
        if (typeIndex < 0 || typeIndex >= types.length) {
            throw new IllegalArgumentException("unknown command type " + typeIndex);
        }
        int keyLength = buffer.getInt();
        if (keyLength < 0 || keyLength > buffer.remaining()) {
            throw new IllegalArgumentException("command key length " + keyLength + " is out of range");
        }
        byte[] keyBytes = new byte[keyLength];
        buffer.get(keyBytes);
        byte[] value = new byte[buffer.remaining()];
        buffer.get(value);
        Type type = types[typeIndex];
        return switch (type) {
            case CLEAR -> CLEAR_COMMAND;
            default -> new Command(type, new String(keyBytes, StandardCharsets.UTF_8), value);
        };
    }

    /** Human-readable form for {@code GET /log}, e.g. {@code PUT key value}. */
    String describe() {
        return switch (type) {
            case CLEAR -> "CLEAR";
            case DELETE -> "DELETE " + key;
            case PUT -> "PUT " + key + " " + new String(value, StandardCharsets.UTF_8);
        };
    }

    @Override
    public String toString() {
        return type == Type.PUT ? "PUT " + key + " (" + value.length + " bytes)" : describe();
    }
}
