package io.clstr.junit.linearizability;

import java.util.Objects;

/**
 * A key-value operation on {@code key}: GET (output: the value, "" if absent), PUT, DELETE, APPEND
 * {@code value}, or CAS {@code expected} to {@code value} (output: whether it swapped).
 */
public record KvInput(Kind kind, String key, String value, String expected) {

    /** The key-value operations. */
    public enum Kind {
        GET,
        PUT,
        DELETE,
        APPEND,
        CAS
    }

    /** A get of {@code key}. */
    public static KvInput get(String key) {
        return new KvInput(Kind.GET, key, null, null);
    }

    /** A put of {@code value} at {@code key}. */
    public static KvInput put(String key, String value) {
        return new KvInput(Kind.PUT, key, value, null);
    }

    /** A delete of {@code key}. */
    public static KvInput delete(String key) {
        return new KvInput(Kind.DELETE, key, null, null);
    }

    /** An append of {@code value} to the value at {@code key}. */
    public static KvInput append(String key, String value) {
        return new KvInput(Kind.APPEND, key, value, null);
    }

    /** A compare-and-set of {@code key} from {@code expected} to {@code value}. */
    public static KvInput cas(String key, String expected, String value) {
        return new KvInput(Kind.CAS, key, value, expected);
    }

    // equals and hashCode written out: a record's are bootstrapped on first use, tens of milliseconds
    // in a fresh JVM, and the checker hashes inputs (alike open operations)
    @Override
    public boolean equals(Object other) {
        return other instanceof KvInput k
                && kind == k.kind
                && Objects.equals(key, k.key)
                && Objects.equals(value, k.value)
                && Objects.equals(expected, k.expected);
    }

    @Override
    public int hashCode() {
        return ((kind.ordinal() * 31 + Objects.hashCode(key)) * 31 + Objects.hashCode(value)) * 31
                + Objects.hashCode(expected);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case GET -> "get " + key;
            case PUT -> "put " + key + " = " + value;
            case DELETE -> "delete " + key;
            case APPEND -> "append " + key + " += " + value;
            case CAS -> "cas " + key + " " + expected + " -> " + value;
        };
    }
}
