package io.clstr.junit.history;

import io.clstr.junit.linearizability.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A thread-safe recorder of client operations as invoke/complete pairs, with strictly increasing
 * {@link System#nanoTime() monotonic} timestamps relative to its creation, and of fault events.
 *
 * <p>Complete each invocation once: {@link #ok} (it happened), {@link #fail} (it certainly did
 * not: the checker drops it) or {@link #info} (unknown: it stays open to the end of the history).
 */
public final class History<I, O> {

    /** What {@link #invoke} returns: the key to complete that operation. */
    public record Handle(int id) {}

    private final long start = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final List<Entry<I, O>> entries = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private long last = -1;

    /** Records that {@code clientId} invokes an operation with {@code input} now. */
    public synchronized Handle invoke(int clientId, I input) {
        Objects.requireNonNull(input, "input");
        int id = entries.size();
        entries.add(new Entry<>(id, clientId, input, null, Completion.PENDING, now(), Operation.OPEN));
        return new Handle(id);
    }

    /** Records that the operation happened with {@code output}. */
    public synchronized void ok(Handle handle, O output) {
        complete(handle, Completion.OK, output);
    }

    /** Records that the operation certainly did not happen. */
    public synchronized void fail(Handle handle) {
        complete(handle, Completion.FAIL, null);
    }

    /** Records that the outcome is unknown: the operation stays open to the end. */
    public synchronized void info(Handle handle) {
        complete(handle, Completion.INFO, null);
    }

    /**
     * Records which node the operation was sent to and which node finally served it after
     * redirects (null when none answered); shown on the timeline.
     */
    public synchronized void route(Handle handle, String sentTo, String servedBy) {
        Entry<I, O> entry = entry(handle);
        entries.set(handle.id(), entry.routed(sentTo, servedBy));
    }

    /** When the history started, on the wall clock (the time base of the run's log). */
    public Instant startedAt() {
        return startedAt;
    }

    /** Records a fault event now, such as {@code PARTITION: n1 | n2 n3}. */
    public synchronized void fault(String text) {
        faults.add(new Fault(now(), Objects.requireNonNull(text, "text")));
    }

    /** Every recorded operation in invocation order, failed ones included. */
    public synchronized List<Entry<I, O>> entries() {
        return List.copyOf(entries);
    }

    /** The recorded fault events in time order. */
    public synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Nanoseconds since the history started (strictly after every recorded time). */
    public synchronized long elapsedNanos() {
        return now();
    }

    /** The history for the checker: failed operations dropped, info and pending ones open. */
    public synchronized List<Operation<I, O>> operations() {
        List<Operation<I, O>> ops = new ArrayList<>();
        for (Entry<I, O> e : entries) {
            if (e.completion() == Completion.OK) {
                ops.add(Operation.completed(e.clientId(), e.input(), e.output(), e.callNanos(), e.returnNanos()));
            } else if (e.isOpen()) {
                ops.add(Operation.open(e.clientId(), e.input(), e.callNanos()));
            }
        }
        return ops;
    }

    /** The operation {@code handle} names, as recorded so far. */
    synchronized Entry<I, O> entry(Handle handle) {
        Objects.requireNonNull(handle, "handle");
        if (handle.id() < 0 || handle.id() >= entries.size()) {
            throw new IllegalArgumentException("no operation " + handle.id() + " in this history");
        }
        return entries.get(handle.id());
    }

    private void complete(Handle handle, Completion completion, O output) {
        Entry<I, O> entry = entry(handle);
        if (entry.completion() != Completion.PENDING) {
            throw new IllegalStateException("operation " + handle.id() + " already completed as " + entry.completion());
        }
        entries.set(handle.id(), entry.complete(completion, output, now()));
    }

    private long now() {
        last = Math.max(last + 1, System.nanoTime() - start);
        return last;
    }
}
