package io.clstr.junit.history;

import io.clstr.junit.check.Response;
import java.util.Objects;

/**
 * Decides from a node's HTTP answer how a recorded operation ended, by the rules of DESIGN.md §6:
 * {@code ok} when it certainly happened (with its output), {@code fail} when it certainly did not,
 * {@code info} when it may have (a timeout, a reset, a 5xx on a write): an info operation stays
 * open to the end of the history.
 *
 * @param <I> the operation's input
 * @param <O> its output
 */
@FunctionalInterface
public interface Classifier<I, O> {

    /** How the operation with {@code input} ended, given the answer (or error) {@code response}. */
    Outcome<O> classify(I input, Response response);

    /**
     * A completion and, for {@code ok}, the output the model sees.
     *
     * @param completion {@link Completion#OK}, {@link Completion#FAIL} or {@link Completion#INFO}
     * @param output     what the operation returned, for OK; null otherwise
     */
    record Outcome<O>(Completion completion, O output) {

        public Outcome {
            Objects.requireNonNull(completion, "completion");
            if (completion == Completion.PENDING) {
                throw new IllegalArgumentException("an answered operation is not pending");
            }
        }

        /** It happened and returned {@code output}. */
        public static <O> Outcome<O> ok(O output) {
            return new Outcome<>(Completion.OK, output);
        }

        /** It certainly did not happen. */
        public static <O> Outcome<O> fail() {
            return new Outcome<>(Completion.FAIL, null);
        }

        /** It may have happened, or may yet. */
        public static <O> Outcome<O> info() {
            return new Outcome<>(Completion.INFO, null);
        }
    }
}
