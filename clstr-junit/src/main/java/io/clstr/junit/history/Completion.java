package io.clstr.junit.history;

/** How an operation of a history ended: not yet, it happened, it certainly did not, or unknown. */
public enum Completion {
    /** Invoked and not completed yet; treated as {@link #INFO} by the checker. */
    PENDING,
    /** It happened, with the recorded output. */
    OK,
    /** It certainly did not happen; the checker never sees it. */
    FAIL,
    /** Unknown (timeout, reset, 5xx on a write): it may take effect at any time until the end. */
    INFO
}
