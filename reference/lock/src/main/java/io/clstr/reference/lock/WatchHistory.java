package io.clstr.reference.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent key events, oldest first: what watches read. It is part of the state machine, so
 * every node holds the same history and a restart rebuilds it by replaying the log. Past its limit
 * the oldest events are dropped, and a watch from a dropped revision is refused.
 */
final class WatchHistory {

    /** How many events are kept: the guide's compaction rule (at most the last 1,000). */
    static final int LIMIT = 1_000;

    /**
     * One write to one key. {@code key} is null in the answer to a watch on one key (the watcher
     * knows it); {@code value} is null for a delete.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(long revision, String key, String type, String value) {

        static Event put(long revision, String key, String value) {
            return new Event(revision, key, "put", value);
        }

        static Event delete(long revision, String key) {
            return new Event(revision, key, "delete", null);
        }

        Event withoutKey() {
            return new Event(revision, null, type, value);
        }
    }

    private final int limit;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    /** The revision of the newest event dropped (0: none). */
    private long compactedThrough;

    WatchHistory(int limit) {
        this.limit = limit;
    }

    void add(Event event) {
        events.addLast(event);
        if (events.size() > limit) {
            compactedThrough = events.removeFirst().revision();
        }
    }

    /**
     * Up to {@code max} events with revision {@code from} or later, in revision order, of
     * {@code key} (with {@code prefix}: of every key that starts with it); null when events from
     * {@code from} on may have been dropped.
     */
    List<Event> from(String key, boolean prefix, long from, int max) {
        if (from <= compactedThrough) {
            return null;
        }
        List<Event> found = new ArrayList<>();
        for (Event e : events) {
            if (found.size() == max) {
                break;
            }
            if (e.revision() >= from
                    && (prefix ? e.key().startsWith(key) : e.key().equals(key))) {
                found.add(prefix ? e : e.withoutKey());
            }
        }
        return found;
    }
}
