package io.clstr.reference.queue;

/**
 * What applying a command (or answering a read) gives the client: an HTTP status and a body, a
 * {@code String} sent as text/plain or any other value sent as JSON.
 */
record Outcome(int status, Object body) {

    static Outcome ok(Object body) {
        return new Outcome(200, body);
    }

    static Outcome error(int status, String text) {
        return new Outcome(status, text);
    }
}
