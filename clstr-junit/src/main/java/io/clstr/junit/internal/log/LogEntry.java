package io.clstr.junit.internal.log;

import java.time.Instant;

/**
 * One line of a run's log: something a node printed, or an event.
 *
 * @param time    when it happened (wall clock, microsecond precision)
 * @param node    the node's name, or {@code cluster} for cluster-wide events
 * @param message what the node printed; null for an event
 * @param event   the event text such as {@code KILL} or {@code PARTITIONED FROM: n3, n4}; null for output
 */
public record LogEntry(Instant time, String node, String message, String event) {

    /** The node name used for cluster-wide events. */
    public static final String CLUSTER = "cluster";

    public boolean isEvent() {
        return event != null;
    }

    /** The message or the event, whichever this entry holds. */
    public String text() {
        return event != null ? event : message;
    }
}
