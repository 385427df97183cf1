package io.clstr.junit.history;

import io.clstr.junit.linearizability.Operation;

/**
 * One recorded operation: its id (order of invocation), client, input, output (for {@code OK}),
 * completion and times in nanoseconds since the history started ({@code returnNanos} is
 * {@link Operation#OPEN} while it is pending or when it ended as {@code INFO}), and, when a
 * recording client sent it, the node it was sent to and the node that finally served it after
 * redirects (node names; null when unknown, and {@code servedBy} null when no node answered).
 */
public record Entry<I, O>(
        int id,
        int clientId,
        I input,
        O output,
        Completion completion,
        long callNanos,
        long returnNanos,
        String sentTo,
        String servedBy) {

    /** An operation with no record of the nodes it went to. */
    public Entry(int id, int clientId, I input, O output, Completion completion, long callNanos, long returnNanos) {
        this(id, clientId, input, output, completion, callNanos, returnNanos, null, null);
    }

    /** Whether it stays open to the end of the history (pending or info). */
    public boolean isOpen() {
        return completion == Completion.PENDING || completion == Completion.INFO;
    }

    /** This entry completed as {@code completion} at {@code at}. */
    Entry<I, O> complete(Completion completion, O output, long at) {
        long ret = completion == Completion.INFO ? Operation.OPEN : at;
        return new Entry<>(id, clientId, input, output, completion, callNanos, ret, sentTo, servedBy);
    }

    /** This entry with the nodes it was sent to and served by. */
    Entry<I, O> routed(String sentTo, String servedBy) {
        return new Entry<>(id, clientId, input, output, completion, callNanos, returnNanos, sentTo, servedBy);
    }

    /** How violations name this operation: {@code #12 (client 3)}. */
    public String label() {
        return "#" + id + " (client " + clientId + ")";
    }
}
