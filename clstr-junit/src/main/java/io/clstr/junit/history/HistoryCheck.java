package io.clstr.junit.history;

import java.util.ArrayList;
import java.util.List;

/**
 * A property of a whole recorded history that is not linearizability: queue delivery, mutual
 * exclusion, fencing order. It reads every recorded operation (failed ones too, which it may
 * ignore) and returns what breaks the property, or nothing. {@code cluster.assertHolds} runs it
 * and fails with the violations and an HTML timeline that marks their operations.
 *
 * @param <I> the operations' input
 * @param <O> their output
 */
@FunctionalInterface
public interface HistoryCheck<I, O> {

    /** The violations of this property in {@code entries} (in invocation order), or an empty list. */
    List<Violation> check(List<Entry<I, O>> entries);

    /** This check, then {@code other}: the violations of both. */
    default HistoryCheck<I, O> and(HistoryCheck<I, O> other) {
        return entries -> {
            List<Violation> all = new ArrayList<>(check(entries));
            all.addAll(other.check(entries));
            return all;
        };
    }
}
