package io.clstr.kvstore;

import io.clstr.junit.Challenge;
import java.util.List;

/**
 * The {@code kv-store} challenge: a key-value store that grows, stage by stage, into a Raft
 * cluster. Registered in {@code META-INF/services/io.clstr.junit.Challenge}; lists only the
 * stages that exist, in the order learners take them.
 */
public final class KvStoreChallenge implements Challenge {

    /** The key learners type: {@code clstr init kv-store}. */
    public static final String KEY = "kv-store";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String name() {
        return "Distributed Key-Value Store";
    }

    @Override
    public String summary() {
        return "Build a key-value store over HTTP, make it survive restarts and crashes, "
                + "then run it as a Raft cluster that elects a leader, replicates and compacts its log, "
                + "and changes its membership.";
    }

    @Override
    public List<Class<?>> stages() {
        return List.of(
                HttpApi.class,
                Persistence.class,
                CrashRecovery.class,
                LeaderElection.class,
                LogReplication.class,
                LogCompaction.class,
                MembershipChanges.class,
                JointConsensus.class);
    }
}
