package io.clstr.junit.linearizability;

import java.util.Objects;

/**
 * A register operation: READ (output: the value read, {@link Models#ABSENT} if never written),
 * WRITE {@code value}, or CAS {@code expected} to {@code value} (output: whether it swapped).
 */
public record RegisterInput(Kind kind, String value, String expected) {

    /** The register operations. */
    public enum Kind {
        READ,
        WRITE,
        CAS
    }

    /** A read. */
    public static RegisterInput read() {
        return new RegisterInput(Kind.READ, null, null);
    }

    /** A write of {@code value}. */
    public static RegisterInput write(String value) {
        return new RegisterInput(Kind.WRITE, value, null);
    }

    /** A compare-and-set from {@code expected} to {@code value}. */
    public static RegisterInput cas(String expected, String value) {
        return new RegisterInput(Kind.CAS, value, expected);
    }

    // equals and hashCode written out: a record's are bootstrapped on first use, tens of milliseconds
    // in a fresh JVM, and the checker hashes inputs (alike open operations)
    @Override
    public boolean equals(Object other) {
        return other instanceof RegisterInput r
                && kind == r.kind
                && Objects.equals(value, r.value)
                && Objects.equals(expected, r.expected);
    }

    @Override
    public int hashCode() {
        return (kind.ordinal() * 31 + Objects.hashCode(value)) * 31 + Objects.hashCode(expected);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case READ -> "read";
            case WRITE -> "write " + value;
            case CAS -> "cas " + expected + " -> " + value;
        };
    }
}
