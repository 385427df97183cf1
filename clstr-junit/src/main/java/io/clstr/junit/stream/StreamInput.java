package io.clstr.junit.stream;

import java.util.Objects;

/**
 * An operation on a stream (an append-only log per key) as the stream checkers see them. Messages
 * are told apart by their text: a workload sends each message once, so a message names one write.
 */
public sealed interface StreamInput {

    /** The stream the operation goes to. */
    String key();

    /**
     * An append of {@code message} to the stream.
     *
     * @param key     the stream
     * @param message the message, unique in the workload
     */
    record Send(String key, String message) implements StreamInput {
        public Send {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return "send " + key + " \"" + message + "\"";
        }
    }

    /**
     * A read of up to {@code max} messages from {@code offset} on.
     *
     * @param key    the stream
     * @param offset the first offset wanted
     * @param max    the most messages wanted
     */
    record Poll(String key, long offset, int max) implements StreamInput {
        public Poll {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "poll " + key + " from " + offset + " max " + max;
        }
    }

    /**
     * A consumer group's commit of an offset.
     *
     * @param key    the stream
     * @param group  the consumer group
     * @param offset the offset committed
     */
    record Commit(String key, String group, long offset) implements StreamInput {
        public Commit {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(group, "group");
        }

        @Override
        public String toString() {
            return "commit " + key + " group " + group + " at " + offset;
        }
    }

    /**
     * A read of a consumer group's committed offset.
     *
     * @param key   the stream
     * @param group the consumer group
     */
    record ReadCommitted(String key, String group) implements StreamInput {
        public ReadCommitted {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(group, "group");
        }

        @Override
        public String toString() {
            return "committed " + key + " group " + group;
        }
    }
}
