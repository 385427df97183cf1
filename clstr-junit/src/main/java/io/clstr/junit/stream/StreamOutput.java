package io.clstr.junit.stream;

import java.util.List;
import java.util.stream.Collectors;

/** What a stream operation that ended {@code ok} returned. */
public sealed interface StreamOutput {

    /**
     * A send's answer.
     *
     * @param offset the offset the message was given
     */
    record Sent(long offset) implements StreamOutput {
        @Override
        public String toString() {
            return "offset " + offset;
        }
    }

    /**
     * One message a poll returned.
     *
     * @param offset  its offset
     * @param message the message
     */
    record Read(long offset, String message) {
        @Override
        public String toString() {
            return offset + ":\"" + message + "\"";
        }
    }

    /**
     * A poll's answer, in the order returned.
     *
     * @param reads the messages returned (none when there was nothing from the offset asked)
     */
    record Polled(List<Read> reads) implements StreamOutput {
        public Polled {
            reads = List.copyOf(reads);
        }

        @Override
        public String toString() {
            return reads.stream().map(Read::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** A commit's answer: it took effect. */
    record Done() implements StreamOutput {
        @Override
        public String toString() {
            return "done";
        }
    }

    /**
     * A committed-offset read's answer.
     *
     * @param offset the group's committed offset, or null when it has none (404)
     */
    record Committed(Long offset) implements StreamOutput {
        @Override
        public String toString() {
            return offset == null ? "none" : "committed " + offset;
        }
    }
}
