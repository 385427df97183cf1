package io.clstr.junit.lock;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a write or a watch poll that ended {@code ok} returned. A write the server refused (a 4xx)
 * is recorded {@code fail}: it certainly made no event.
 */
public sealed interface WatchOutput {

    /**
     * A write's 200.
     *
     * @param revision the revision of its {@code Revision} header, or -1 when it had none (the check
     *                 then matches events to it by value, as for a write of unknown outcome)
     */
    record Written(long revision) implements WatchOutput {
        @Override
        public String toString() {
            return "revision " + revision;
        }
    }

    /**
     * One event of a watch's answer.
     *
     * @param revision the write's revision
     * @param type     {@code put} or {@code delete}
     * @param key      the key written (for a watch of one key, that key)
     * @param value    the value put, or null for a delete
     */
    record Event(long revision, String type, String key, String value) {
        public Event {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(key, "key");
        }

        /** A put of {@code value} to {@code key} at {@code revision}. */
        public static Event put(long revision, String key, String value) {
            return new Event(revision, "put", key, value);
        }

        /** A delete of {@code key} at {@code revision}. */
        public static Event delete(long revision, String key) {
            return new Event(revision, "delete", key, null);
        }

        /** {@code put k = "v"} or {@code delete k}: what was written, without the revision. */
        public String write() {
            return value == null ? type + " " + key : type + " " + key + " = \"" + value + "\"";
        }

        @Override
        public String toString() {
            return revision + ":" + write();
        }
    }

    /**
     * A watch's 200, in the order returned.
     *
     * @param events the events (none when the wait ran out)
     */
    record Events(List<Event> events) implements WatchOutput {
        public Events {
            events = List.copyOf(events);
        }

        @Override
        public String toString() {
            return events.stream().map(Event::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
