package io.clstr.junit.internal.runtime;

/**
 * One {@code GET /health} try while a node starts, and what it got in words, so that a node that
 * never gets healthy is told why ({@link HealthProbe} sends it): "connection refused on 127.0.0.1:24247 — is the server listening
 * on ADDR's port?", "answered 503", "no answer within 250 ms".
 *
 * @param healthy whether it answered 200
 * @param outcome what happened, for the failure message
 */
public record HealthTry(boolean healthy, String outcome) {

    /** The failure message's tail: {@code ; the last try: <outcome>}, or nothing when there was no try. */
    public static String lastTry(HealthTry last) {
        return last == null ? "" : "; the last try: " + last.outcome();
    }
}
