package io.clstr.junit.history;

import io.clstr.junit.linearizability.Operation;

/**
 * One recorded operation: its id (order of invocation), client, input, output (for {@code OK}),
 * completion and times in nanoseconds since the history started ({@code returnNanos} is
 * {@link Operation#OPEN} while it is pending or when it ended as {@code INFO}).
 */
public record Entry<I, O>(
        int id, int clientId, I input, O output, Completion completion, long callNanos, long returnNanos) {

    /** Whether it stays open to the end of the history (pending or info). */
    public boolean isOpen() {
        return completion == Completion.PENDING || completion == Completion.INFO;
    }

    /** This entry completed as {@code completion} at {@code at}. */
    Entry<I, O> complete(Completion completion, O output, long at) {
        long ret = completion == Completion.INFO ? Operation.OPEN : at;
        return new Entry<>(id, clientId, input, output, completion, callNanos, ret);
    }
}
