package io.clstr.junit.linearizability;

/**
 * One client operation of a history: its input, its output ({@code null} when unknown) and its
 * call and return times in nanoseconds; an operation that never completed returns at
 * {@link #OPEN} and may or may not have taken effect.
 */
public record Operation<I, O>(int clientId, I input, O output, long callNanos, long returnNanos) {

    /** Return time of an operation whose outcome is unknown: it stays open to the end. */
    public static final long OPEN = Long.MAX_VALUE;

    /** Checks that the operation returns no earlier than it is called. */
    public Operation {
        if (returnNanos < callNanos) {
            throw new IllegalArgumentException(
                    "operation returns before it is called: " + callNanos + " > " + returnNanos);
        }
    }

    /** A completed operation. */
    public static <I, O> Operation<I, O> completed(int clientId, I input, O output, long call, long ret) {
        return new Operation<>(clientId, input, output, call, ret);
    }

    /** An operation whose outcome is unknown (timeout, lost reply): open to the end of the history. */
    public static <I, O> Operation<I, O> open(int clientId, I input, long call) {
        return new Operation<>(clientId, input, null, call, OPEN);
    }

    /** Whether the operation never completed. */
    public boolean isOpen() {
        return returnNanos == OPEN;
    }
}
