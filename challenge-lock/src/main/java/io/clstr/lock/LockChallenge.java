package io.clstr.lock;

import io.clstr.junit.Challenge;
import java.util.List;

/**
 * The lock service challenge (spec/lock.md): a working Raft key-value store turned into a
 * coordination service, with expiring keys, compare-and-swap, leases, locks, fencing tokens,
 * watches and fair queues: its seven stages, in the order learners take them.
 */
public final class LockChallenge implements Challenge {

    /** The key learners type: {@code clstr init lock}. */
    public static final String KEY = "lock";

    @Override
    public String key() {
        return KEY;
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
        return List.of(
                KeyTtl.class,
                Cas.class,
                Leases.class,
                NamedLocks.class,
                FencingTokens.class,
                Watches.class,
                LockQueue.class);
    }
}
