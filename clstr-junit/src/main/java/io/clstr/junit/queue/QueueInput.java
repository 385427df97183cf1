package io.clstr.junit.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * An operation on a message queue as the queue checkers see it. Messages are told apart by their
 * bodies: a workload sends each body once (a retry with a dedup id sends the same body again,
 * which is the point), so a body names one message across queues, receipts and redeliveries.
 */
public sealed interface QueueInput {

    /** The queue the operation goes to. */
    String queue();

    /**
     * A send of {@code body}; {@code group} and {@code dedupId} are null when the send has none.
     *
     * @param queue   the queue
     * @param body    the message, unique in the workload
     * @param group   the message group, or null
     * @param dedupId the deduplication id, or null
     */
    record Send(String queue, String body, String group, String dedupId) implements QueueInput {
        public Send {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(body, "body");
        }

        @Override
        public String toString() {
            return "send " + queue + " \"" + body + "\"" + (group == null ? "" : " group " + group)
                    + (dedupId == null ? "" : " dedup " + dedupId);
        }
    }

    /**
     * A receive of up to {@code max} messages that stay hidden for {@code visibility} after delivery.
     *
     * @param queue      the queue
     * @param max        the most messages wanted
     * @param visibility how long a delivered message stays hidden
     */
    record Receive(String queue, int max, Duration visibility) implements QueueInput {
        public Receive {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(visibility, "visibility");
        }

        @Override
        public String toString() {
            return "receive " + queue + " max " + max + " for " + visibility.toMillis() / 1000.0 + " s";
        }
    }

    /**
     * A delete with the receipt of a delivery.
     *
     * @param queue   the queue
     * @param receipt the receipt handle a receive returned
     */
    record Delete(String queue, String receipt) implements QueueInput {
        public Delete {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(receipt, "receipt");
        }

        @Override
        public String toString() {
            return "delete " + queue + " " + receipt;
        }
    }

    /**
     * A change of a delivery's visibility timeout, counted from when it takes effect.
     *
     * @param queue      the queue
     * @param receipt    the receipt handle
     * @param visibility the new timeout (zero makes the message visible at once)
     */
    record ChangeVisibility(String queue, String receipt, Duration visibility) implements QueueInput {
        public ChangeVisibility {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(receipt, "receipt");
            Objects.requireNonNull(visibility, "visibility");
        }

        @Override
        public String toString() {
            return "visibility " + queue + " " + receipt + " " + visibility.toMillis() / 1000.0 + " s";
        }
    }

    /** A send of {@code body} to {@code queue}. */
    static Send send(String queue, String body) {
        return new Send(queue, body, null, null);
    }

    /** A receive of up to {@code max} messages hidden for {@code visibility}. */
    static Receive receive(String queue, int max, Duration visibility) {
        return new Receive(queue, max, visibility);
    }

    /** A delete with {@code receipt}. */
    static Delete delete(String queue, String receipt) {
        return new Delete(queue, receipt);
    }

    /** A change of {@code receipt}'s visibility to {@code visibility}. */
    static ChangeVisibility changeVisibility(String queue, String receipt, Duration visibility) {
        return new ChangeVisibility(queue, receipt, visibility);
    }
}
