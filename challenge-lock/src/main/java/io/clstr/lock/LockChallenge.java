package io.clstr.lock;

import io.clstr.junit.Challenge;
import java.util.List;

/**
 * The lock service challenge (../shared/spec/lock.md). It has no stages yet: it is registered so
 * that {@code clstr list} shows it, and every way of asking for it says it is not available yet
 * instead of running nothing and passing.
 */
public final class LockChallenge implements Challenge {

    @Override
    public String key() {
        return "lock";
    }

    @Override
    public String name() {
        return "Lock Service";
    }

    @Override
    public String summary() {
        return "Expiring keys, compare-and-swap, leases, locks with fencing tokens, watches and fair queues.";
    }

    @Override
    public List<Class<?>> stages() {
        return List.of();
    }
}
