package io.clstr.reference.queue;

/**
 * What applying a command (or answering a read) gives the client: an HTTP status and a body, a
 * {@code String} sent as text/plain or any other value sent as JSON, and for a redirect the
 * {@code Location}.
 */
record Outcome(int status, Object body, String location) {

    static Outcome ok(Object body) {
        return new Outcome(200, body, null);
    }

    static Outcome error(int status, String text) {
        return new Outcome(status, text, null);
    }

    /** 307 to the same path and query on {@code leader} (its ADDR). */
    static Outcome redirect(String leader, String target) {
        return new Outcome(307, "", "http://" + leader + target);
    }
}
