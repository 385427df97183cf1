package io.clstr.junit.linearizability;

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

    @Override
    public String toString() {
        return switch (kind) {
            case READ -> "read";
            case WRITE -> "write " + value;
            case CAS -> "cas " + expected + " -> " + value;
        };
    }
}
