package io.clstr.junit.linearizability;

/** The outcome of a linearizability check; UNKNOWN (time or memo limit reached) is never a pass. */
public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    UNKNOWN
}
