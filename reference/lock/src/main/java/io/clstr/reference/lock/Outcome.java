package io.clstr.reference.lock;

/**
 * What applying a command (or answering a read) gives the client: an HTTP status and a body, a
 * {@code String} sent as text/plain or any other value sent as JSON; for a redirect the
 * {@code Location}; for the key-value API the {@code Revision} header ({@link #NO_REVISION}: none).
 */
record Outcome(int status, Object body, String location, long revision) {

    static final long NO_REVISION = -1;

    static Outcome ok(Object body) {
        return new Outcome(200, body, null, NO_REVISION);
    }

    /** 200 with an empty body and a {@code Revision} header. */
    static Outcome written(long revision) {
        return new Outcome(200, "", null, revision);
    }

    static Outcome error(int status, String text) {
        return new Outcome(status, text, null, NO_REVISION);
    }

    /** 307 to the same path and query on {@code leader} (its ADDR). */
    static Outcome redirect(String leader, String target) {
        return new Outcome(307, "", "http://" + leader + target, NO_REVISION);
    }
}
