package io.clstr.junit.history;

import io.clstr.junit.linearizability.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-made history for a checker's tests, with times in milliseconds: each {@link #add} is the
 * next operation (its id is its place); an {@code INFO} operation stays open.
 */
public class ScriptedHistory<I, O> {
    private final List<Entry<I, O>> entries = new ArrayList<>();

    public Entry<I, O> add(int client, I input, O output, Completion completion, long callMs, long returnMs) {
        long ret = completion == Completion.INFO ? Operation.OPEN : returnMs * 1_000_000;
        Entry<I, O> e = new Entry<>(entries.size(), client, input, output, completion, callMs * 1_000_000, ret);
        entries.add(e);
        return e;
    }

    /** What {@code check} finds in the history so far. */
    public List<Violation> check(HistoryCheck<I, O> check) {
        return check.check(List.copyOf(entries));
    }
}
