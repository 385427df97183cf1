package io.clstr.queue;

import io.clstr.junit.Challenge;
import java.util.List;

/**
 * The replicated message queue challenge (spec/queue.md): SQS-style delivery with receipts and
 * visibility timeouts, made durable, replicated with Raft, then given dead-letter queues,
 * deduplication, message groups and Kafka-style streams: spec/queue.md's eight stages, in the order
 * learners take them.
 */
public final class QueueChallenge implements Challenge {

    /** The key learners type: {@code clstr init queue}. */
    public static final String KEY = "queue";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String name() {
        return "Replicated Message Queue";
    }

    @Override
    public String summary() {
        return "A replicated queue with visibility timeouts, dead letters, deduplication, groups and streams.";
    }

    @Override
    public List<Class<?>> stages() {
        return List.of(
                HttpApi.class,
                VisibilityTimeout.class,
                CrashRecovery.class,
                Replication.class,
                DeadLetter.class,
                Deduplication.class,
                MessageGroups.class,
                Streams.class);
    }
}
