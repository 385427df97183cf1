package io.clstr.queue;

import io.clstr.junit.Challenge;
import java.util.List;

/**
 * The replicated message queue challenge (../shared/spec/queue.md). It has no stages yet: it is
 * registered so that {@code clstr list} shows it, and every way of asking for it says it is not
 * available yet instead of running nothing and passing.
 */
public final class QueueChallenge implements Challenge {

    @Override
    public String key() {
        return "queue";
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
        return List.of();
    }
}
