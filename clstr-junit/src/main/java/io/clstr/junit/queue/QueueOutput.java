package io.clstr.junit.queue;

import java.util.List;
import java.util.stream.Collectors;

/** What a queue operation that ended {@code ok} returned. */
public sealed interface QueueOutput {

    /**
     * A send's answer.
     *
     * @param id the message's id in its queue
     */
    record Sent(long id) implements QueueOutput {
        @Override
        public String toString() {
            return "id " + id;
        }
    }

    /**
     * One message a receive delivered.
     *
     * @param id           the message's id
     * @param body         its body
     * @param receipt      the receipt handle of this delivery
     * @param receiveCount how many times it has been delivered, this time included
     */
    record Delivery(long id, String body, String receipt, int receiveCount) {
        @Override
        public String toString() {
            return "#" + id + " \"" + body + "\" (" + receiveCount + ")";
        }
    }

    /**
     * A receive's answer, oldest first.
     *
     * @param deliveries the messages delivered (none when nothing was visible)
     */
    record Received(List<Delivery> deliveries) implements QueueOutput {
        public Received {
            deliveries = List.copyOf(deliveries);
        }

        @Override
        public String toString() {
            return deliveries.stream().map(Delivery::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** A delete's or a visibility change's answer: it took effect. */
    record Done() implements QueueOutput {
        @Override
        public String toString() {
            return "done";
        }
    }

    /** The {@link Done} answer. */
    static Done done() {
        return new Done();
    }
}
