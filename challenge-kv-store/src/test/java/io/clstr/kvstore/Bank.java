package io.clstr.kvstore;

import io.clstr.testkit.BankRow;
import io.clstr.testkit.Reference;
import java.util.List;

/**
 * The bug bank: each bug of the reference ({@code REFERENCE_BUG=<bug>}) with the stage that must
 * catch it and every test of that stage whose property the bug breaks, the one designed to catch
 * it first (a leader that acknowledges before a majority stores loses writes both when it is cut
 * off and when it crashes). README.md lists the same rows, with why.
 */
final class Bank {

    /** The kv-store reference solution, {@code reference/kv-store}. */
    static final Reference REFERENCE = Reference.of(new KvStoreChallenge());

    /** Every crash-recovery test checks that acknowledged writes survive SIGKILL: a bug that loses them breaks all five. */
    private static final class CrashRecoveryTests {
        static final String FIRST = "Data Survives a Hard Crash";
        static final String[] REST = {
            "All Data Survives Repeated Hard Crashes",
            "Rapid Sequential Writes Survive a Hard Crash",
            "Rapid Concurrent Writes Survive a Hard Crash",
            "CLEAR Survives a Hard Crash"
        };
    }

    static final List<BankRow> ROWS = List.of(
            BankRow.of("empty-value-accepted", HttpApi.class, "PUT Rejects Empty Keys and Values"),
            BankRow.of("case-insensitive-keys", HttpApi.class, "GET Rejects Missing and Invalid Keys"),
            BankRow.of("unsafe-map", HttpApi.class, "Concurrent Writes to Different Keys All Succeed"),
            BankRow.of("delete-not-persisted", Persistence.class, "Data Survives a Graceful Restart"),
            BankRow.of("clear-not-persisted", Persistence.class, "CLEAR Survives a Graceful Restart"),
            BankRow.of("ack-before-sync", CrashRecovery.class, CrashRecoveryTests.FIRST, CrashRecoveryTests.REST),
            BankRow.of(
                    "replay-drops-last-entry", CrashRecovery.class, CrashRecoveryTests.FIRST, CrashRecoveryTests.REST),
            BankRow.of(
                    "heartbeat-ignored",
                    LeaderElection.class,
                    "Leader Maintains Authority via Heartbeats",
                    "Exactly One Leader Per Term"),
            BankRow.of("proxy-not-redirect", LeaderElection.class, "Followers Redirect to Leader"),
            BankRow.of(
                    "never-step-down",
                    LeaderElection.class,
                    "Partition Enforces Quorum",
                    "Slow Leader Steps Down and Cluster Re-elects"),
            BankRow.of("minority-elects", LeaderElection.class, "Partition Enforces Quorum"),
            BankRow.of("stale-leader", LeaderElection.class, "Leaderless Nodes Return 503"),
            BankRow.of(
                    "vote-twice",
                    LeaderElection.class,
                    "Simultaneous Candidates Elect One Leader Per Term",
                    "Exactly One Leader Per Term"),
            BankRow.of(
                    "ignore-leader-commit",
                    LogReplication.class,
                    "Writes Replicate to All Nodes",
                    "Lagging Follower Catches Up"),
            BankRow.of(
                    "ack-before-commit",
                    LogReplication.class,
                    "Minority Leader Cannot Commit",
                    "Committed Writes Survive Leader Crash",
                    "Cluster Survives a Full Crash",
                    "Linearizable Under Faults"),
            BankRow.of(
                    "keep-conflicting-entries",
                    LogReplication.class,
                    "Minority Leader Cannot Commit",
                    "Diverged Logs Are Repaired"),
            BankRow.of(
                    "no-prev-log-check",
                    LogReplication.class,
                    "Diverged Logs Are Repaired",
                    "Linearizable Under Faults"),
            BankRow.of(
                    "stale-read",
                    LogReplication.class,
                    "Deposed Leader Cannot Serve Stale Reads",
                    "Committed Writes Survive Leader Crash",
                    "Cluster Survives a Full Crash",
                    "Linearizable Under Faults"),
            BankRow.of(
                    "lease-read",
                    LogReplication.class,
                    "Deposed Leader Cannot Serve Stale Reads",
                    "Linearizable Under Faults"),
            BankRow.of(
                    "snapshot-loses-last-term",
                    LogCompaction.class,
                    "Log Stays Bounded",
                    "Far-Behind Follower Installs Snapshot"),
            BankRow.of(
                    "install-snapshot-ignored-beyond-log",
                    LogCompaction.class,
                    "Far-Behind Follower Installs Snapshot",
                    "Log Stays Bounded"),
            BankRow.of("voter-before-catch-up", MembershipChanges.class, "Node Joins and Catches Up"),
            BankRow.of("two-changes-in-flight", MembershipChanges.class, "One Change at a Time"),
            BankRow.of("leader-stays-after-removal", MembershipChanges.class, "Leader Leaves and Steps Down"),
            BankRow.of("removed-node-disrupts", MembershipChanges.class, "Removed Node Does Not Disrupt the Cluster"),
            BankRow.of("joint-quorum-new-only", JointConsensus.class, "No Split Brain During Change"),
            BankRow.of(
                    "joint-not-completed", JointConsensus.class, "Leader Crash Mid-Change Completes the Transition"));

    private Bank() {}
}
