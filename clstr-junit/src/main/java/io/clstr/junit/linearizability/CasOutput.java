package io.clstr.junit.linearizability;

/**
 * What a {@link CasInput} returned: for a read, the value (null when absent) and the key's revision
 * (-1 when the answer gave none, as a 404 may not); for a write, whether it was applied (false: 412)
 * and, when applied, its new revision (-1 when not given).
 */
public record CasOutput(boolean applied, String value, long revision) {

    /** A read that found {@code value} at {@code revision}. */
    public static CasOutput found(String value, long revision) {
        return new CasOutput(true, value, revision);
    }

    /** A read that found no value. */
    public static CasOutput absent() {
        return new CasOutput(true, null, -1);
    }

    /** A write applied with the new revision {@code revision}. */
    public static CasOutput applied(long revision) {
        return new CasOutput(true, null, revision);
    }

    /** A conditional write that was refused (412). */
    public static CasOutput rejected() {
        return new CasOutput(false, null, -1);
    }

    @Override
    public String toString() {
        if (!applied) {
            return "rejected";
        }
        String rev = revision < 0 ? "" : "@" + revision;
        return value == null ? (revision < 0 ? "absent" : "ok" + rev) : "\"" + value + "\"" + rev;
    }
}
