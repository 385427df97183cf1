package io.clstr.junit.linearizability;

import java.util.List;

/**
 * A sequential specification: states must be immutable with value equality (they are memoised),
 * and a step with an unknown ({@code null}) output must be legal in every state.
 */
public interface Model<S, I, O> {

    /** The initial state. */
    S init();

    /** The state after applying {@code input} with observed {@code output}, or {@code null} if illegal. */
    S step(S state, I input, O output);

    /** Independent parts of the history that can be checked separately (default: the whole history). */
    default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
        return List.of(history);
    }

    /**
     * Whether the operation, wherever it is legal, leaves the state as it was (a read with a known
     * result): the search then places it as soon as it may come next and is legal, without trying
     * other orders. Default: false, always safe.
     */
    default boolean readOnly(I input, O output) {
        return false;
    }

    /**
     * Whether the operation, whatever its output and wherever it takes effect, only extends the
     * state in the sense of {@link #mayReach}: from a state that cannot reach a read's result, no
     * state after it can either (an append; a get, which changes nothing). Default: false.
     */
    default boolean extendsOnly(I input) {
        return false;
    }

    /**
     * For a completed read-only operation ({@link #readOnly}): false promises that neither
     * {@code state} nor any state reached from it by operations for which {@link #extendsOnly} holds
     * makes the operation legal (a get of "ab" from a value "ax", which appends only make longer).
     * The search then abandons a configuration where only such operations can come before it. It may
     * answer true whenever unsure; with parts ({@link #part}), the answer must depend only on the
     * operation's part of the state. Default: true (no such test).
     */
    default boolean mayReach(S state, I input, O output) {
        return true;
    }

    /**
     * The part of the state {@code input} reads and writes, or {@code null} for the whole state
     * (the default). Declaring parts is a promise: an operation's step changes only its part, and
     * whether it is legal and what its part becomes depend only on its part's state (see
     * {@link #partState}), so operations on different parts commute. The search then branches only
     * on the part whose operation must return first and backjumps over choices on other parts.
     */
    default Object part(I input) {
        return null;
    }

    /** The state of {@code part} within {@code state}, with value equality (default: the whole state). */
    default Object partState(S state, Object part) {
        return state;
    }

    /** A short human-readable description of an operation, for reports. */
    default String describe(I input, O output) {
        return input + " -> " + (output == null ? "?" : output);
    }
}
