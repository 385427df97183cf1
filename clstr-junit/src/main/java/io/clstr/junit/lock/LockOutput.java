package io.clstr.junit.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * What a lock-service operation that ended {@code ok} returned. Definite refusals (a 4xx the API
 * names, such as 404 {@code lease not found}) are recorded {@code ok} as {@link Refused} or, for
 * an acquire, {@link Held}, so the checks can tell them from operations whose outcome is unknown
 * ({@code info}); {@code fail} is for requests that certainly did nothing (never sent).
 */
public sealed interface LockOutput {

    /**
     * A grant's answer ({@code 200 {"id", "ttl"}}); a keepalive may answer it too.
     *
     * @param id  the lease's id
     * @param ttl the TTL the server gave it (at least 2 s)
     */
    record LeaseGranted(String id, Duration ttl) implements LockOutput {
        public LeaseGranted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(ttl, "ttl");
        }

        @Override
        public String toString() {
            return "lease " + id + " ttl " + ttl.toMillis() / 1000.0 + " s";
        }
    }

    /**
     * An acquire's 200: the lease holds the lock.
     *
     * @param token the fencing token (0 in stages without tokens)
     */
    record Granted(long token) implements LockOutput {
        @Override
        public String toString() {
            return token == 0 ? "granted" : "granted token " + token;
        }
    }

    /**
     * An acquire's 409 {@code lock is held}: another lease holds it; for a waiting acquire, the
     * wait ran out and the lease keeps its place in the queue.
     */
    record Held() implements LockOutput {
        @Override
        public String toString() {
            return "held";
        }
    }

    /** A 200 to a keepalive, revoke, release or fenced write: it took effect. */
    record Done() implements LockOutput {
        @Override
        public String toString() {
            return "done";
        }
    }

    /**
     * Any other definite refusal: 404 {@code lease not found}, 409 {@code stale fencing token}, 400.
     *
     * @param status the HTTP status
     * @param text   the answer's error text
     */
    record Refused(int status, String text) implements LockOutput {
        public Refused {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** The {@link Held} answer. */
    static Held held() {
        return new Held();
    }

    /** The {@link Done} answer. */
    static Done done() {
        return new Done();
    }
}
