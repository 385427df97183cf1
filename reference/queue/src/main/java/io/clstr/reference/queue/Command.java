package io.clstr.reference.queue;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A state change, as the log stores it and the state machine applies it. The log gives each
 * command its {@code stamp} (milliseconds of the leader's wall clock, never going back) when it
 * is appended; applying a command uses only that time, so a replay gives the same state.
 *
 * @param type       what it does
 * @param queue      the queue (all but CLEAR and EXPIRE)
 * @param body       SEND: the message
 * @param id         SEND: the id the request thread chose (only with the {@code unsafe-ids} bug), else 0
 * @param receipt    DELETE, VISIBILITY: the receipt handle
 * @param max        RECEIVE: the most messages to deliver
 * @param visibility RECEIVE, VISIBILITY: milliseconds the delivery stays hidden
 * @param nonce      RECEIVE: random text that makes this delivery's receipts unique
 * @param stamp      the log's time for this command
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
record Command(
        Type type,
        String queue,
        String body,
        long id,
        String receipt,
        int max,
        long visibility,
        String nonce,
        long stamp) {

    enum Type {
        SEND,
        RECEIVE,
        DELETE,
        VISIBILITY,
        CLEAR,
        /** Proposed by the node's timer when a deadline has passed: makes expired deliveries visible. */
        EXPIRE
    }

    static Command send(String queue, String body, long id) {
        return new Command(Type.SEND, queue, body, id, null, 0, 0, null, 0);
    }

    static Command receive(String queue, int max, long visibilityMillis, String nonce) {
        return new Command(Type.RECEIVE, queue, null, 0, null, max, visibilityMillis, nonce, 0);
    }

    static Command delete(String queue, String receipt) {
        return new Command(Type.DELETE, queue, null, 0, receipt, 0, 0, null, 0);
    }

    static Command visibility(String queue, String receipt, long visibilityMillis) {
        return new Command(Type.VISIBILITY, queue, null, 0, receipt, 0, visibilityMillis, null, 0);
    }

    static Command clear() {
        return new Command(Type.CLEAR, null, null, 0, null, 0, 0, null, 0);
    }

    static Command expire() {
        return new Command(Type.EXPIRE, null, null, 0, null, 0, 0, null, 0);
    }

    /** This command with the log's time. */
    Command stamped(long millis) {
        return new Command(type, queue, body, id, receipt, max, visibility, nonce, millis);
    }
}
