package io.clstr.junit.linearizability;

import java.util.Objects;

/**
 * An operation on a key of a store where every write gets a revision (the lock challenge's
 * {@code cas} stage): a read, an unconditional write, a create-only write ({@code If-None-Match: *}),
 * a compare-and-swap on the key's revision ({@code If-Match: N}) or a delete. Outputs are
 * {@link CasOutput}s.
 *
 * @param kind     what the operation does
 * @param key      the key
 * @param value    the value written (WRITE, CREATE, SWAP), else null
 * @param expected the revision a SWAP expects, else 0
 */
public record CasInput(Kind kind, String key, String value, long expected) {

    /** The operations. */
    public enum Kind {
        READ,
        WRITE,
        CREATE,
        SWAP,
        DELETE
    }

    public CasInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    /** A read of {@code key}. */
    public static CasInput read(String key) {
        return new CasInput(Kind.READ, key, null, 0);
    }

    /** An unconditional write of {@code value}. */
    public static CasInput write(String key, String value) {
        return new CasInput(Kind.WRITE, key, value, 0);
    }

    /** A write of {@code value} only if the key is absent. */
    public static CasInput create(String key, String value) {
        return new CasInput(Kind.CREATE, key, value, 0);
    }

    /** A write of {@code value} only if the key's revision is {@code expected}. */
    public static CasInput swap(String key, long expected, String value) {
        return new CasInput(Kind.SWAP, key, value, expected);
    }

    /** A delete of {@code key}. */
    public static CasInput delete(String key) {
        return new CasInput(Kind.DELETE, key, null, 0);
    }

    // equals and hashCode written out: a record's are bootstrapped on first use, tens of milliseconds
    // in a fresh JVM, and the checker hashes inputs (alike open operations)
    @Override
    public boolean equals(Object other) {
        return other instanceof CasInput c
                && kind == c.kind
                && key.equals(c.key)
                && Objects.equals(value, c.value)
                && expected == c.expected;
    }

    @Override
    public int hashCode() {
        return ((kind.ordinal() * 31 + key.hashCode()) * 31 + Objects.hashCode(value)) * 31 + Long.hashCode(expected);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case READ -> "read " + key;
            case WRITE -> "write " + key + " = " + value;
            case CREATE -> "create " + key + " = " + value;
            case SWAP -> "swap " + key + " if revision " + expected + " = " + value;
            case DELETE -> "delete " + key;
        };
    }
}
