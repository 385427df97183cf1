package io.clstr.reference.kv;

import io.clstr.reference.raft.RaftBug;
import io.clstr.reference.raft.ReferenceBug;

/**
 * The bugs this reference can switch on with {@code REFERENCE_BUG=<name>}. Each one is a mistake a
 * learner could realistically make at its stage; it leaves every earlier stage passing. BUGS.md
 * names the test that catches each.
 */
enum Bug implements ReferenceBug {
    // http-api
    CASE_INSENSITIVE_KEYS(
            "case-insensitive-keys",
            "http-api",
            "keys are lower-cased before use, so 'Key' and 'key' are the same key",
            null),
    UNSAFE_MAP(
            "unsafe-map",
            "http-api",
            "PUT updates a plain HashMap copy-on-write without a lock; concurrent PUTs lose each other's keys",
            null),
    EMPTY_VALUE_ACCEPTED(
            "empty-value-accepted", "http-api", "PUT with an empty body is stored instead of answered with 400", null),

    // persistence
    DELETE_NOT_PERSISTED(
            "delete-not-persisted",
            "persistence",
            "DELETE only changes memory and never reaches the log, so deleted keys come back after a restart",
            null),
    CLEAR_NOT_PERSISTED(
            "clear-not-persisted",
            "persistence",
            "CLEAR only changes memory and never reaches the log, so cleared keys come back after a restart",
            null),

    // crash-recovery
    ACK_BEFORE_SYNC(
            "ack-before-sync",
            "crash-recovery",
            "writes are acknowledged once they sit in a 1 MiB user-space buffer that is written only when full or on graceful stop",
            RaftBug.ACK_BEFORE_SYNC),
    REPLAY_DROPS_LAST_ENTRY(
            "replay-drops-last-entry",
            "crash-recovery",
            "replay always discards the last log record as if it were torn (harmless after a graceful stop, which ends the log with a close marker)",
            RaftBug.REPLAY_DROPS_LAST_ENTRY),

    // leader-election
    MINORITY_ELECTS(
            "minority-elects",
            "leader-election",
            "elections and the leader's quorum check count clusterSize / 2 (2 of 5) as a majority instead of clusterSize / 2 + 1",
            RaftBug.MINORITY_ELECTS),
    NEVER_STEP_DOWN(
            "never-step-down",
            "leader-election",
            "a leader that hears from no quorum keeps leading",
            RaftBug.NEVER_STEP_DOWN),
    PROXY_NOT_REDIRECT(
            "proxy-not-redirect",
            "leader-election",
            "followers forward /kv requests to the leader and relay its answer instead of answering 307",
            null),
    STALE_LEADER(
            "stale-leader",
            "leader-election",
            "a node never forgets the last leader it knew, so a leaderless node redirects instead of answering 503",
            RaftBug.STALE_LEADER),
    HEARTBEAT_IGNORED(
            "heartbeat-ignored",
            "leader-election",
            "followers count only AppendEntries that carry entries as hearing from the leader, so heartbeats do not hold off elections",
            RaftBug.HEARTBEAT_IGNORED),
    VOTE_TWICE(
            "vote-twice",
            "leader-election",
            "a node grants its vote to every up-to-date candidate of its term without checking whom it already voted for",
            RaftBug.VOTE_TWICE),

    // log-replication
    IGNORE_LEADER_COMMIT(
            "ignore-leader-commit",
            "log-replication",
            "followers never take the commit index from leader-commit, so they never commit or apply anything",
            RaftBug.IGNORE_LEADER_COMMIT),
    ACK_BEFORE_COMMIT(
            "ack-before-commit",
            "log-replication",
            "the leader answers a write once the entry is durable in its own log, before a majority stores it",
            RaftBug.ACK_BEFORE_COMMIT),
    KEEP_CONFLICTING_ENTRIES(
            "keep-conflicting-entries",
            "log-replication",
            "a follower skips incoming entries at indexes it already holds, even of another term, instead of deleting its conflicting entries",
            RaftBug.KEEP_CONFLICTING_ENTRIES),
    NO_PREV_LOG_CHECK(
            "no-prev-log-check",
            "log-replication",
            "a follower accepts AppendEntries without comparing the term of its entry at prev-log-index with prev-log-term",
            RaftBug.NO_PREV_LOG_CHECK),
    STALE_READ(
            "stale-read",
            "log-replication",
            "the leader answers GET from its own map without confirming with a majority that it still leads",
            null),
    LEASE_READ(
            "lease-read",
            "log-replication",
            "after a read confirmed leadership, the leader answers reads from its own map for a 400 ms lease counted in "
                    + "ticks of a 10 ms timer, which stops while the process is paused",
            null),

    // log-compaction
    SNAPSHOT_LOSES_LAST_TERM(
            "snapshot-loses-last-term",
            "log-compaction",
            "the term of a snapshot's last included entry is left out (0) of GET /log/snapshot and of the InstallSnapshot the node sends; its own files keep it",
            RaftBug.SNAPSHOT_LOSES_LAST_TERM),
    INSTALL_SNAPSHOT_IGNORED_BEYOND_LOG(
            "install-snapshot-ignored-beyond-log",
            "log-compaction",
            "a follower acknowledges an InstallSnapshot whose last included index is past its last log index, and drops it",
            RaftBug.INSTALL_SNAPSHOT_IGNORED_BEYOND_LOG),

    // membership-changes
    VOTER_BEFORE_CATCH_UP(
            "voter-before-catch-up",
            "membership-changes",
            "a joining node is made a voter at once, before it has caught up as a learner",
            RaftBug.VOTER_BEFORE_CATCH_UP),
    TWO_CHANGES_IN_FLIGHT(
            "two-changes-in-flight",
            "membership-changes",
            "a membership change is accepted while another is still in progress, instead of answering 409",
            RaftBug.TWO_CHANGES_IN_FLIGHT),
    LEADER_STAYS_AFTER_REMOVAL(
            "leader-stays-after-removal",
            "membership-changes",
            "a leader that removed itself keeps leading after the configuration without it is committed",
            RaftBug.LEADER_STAYS_AFTER_REMOVAL),
    REMOVED_NODE_DISRUPTS(
            "removed-node-disrupts",
            "membership-changes",
            "a removed node keeps its election timer and campaigns with ever higher terms, without PreVote",
            RaftBug.REMOVED_NODE_DISRUPTS),

    // joint-consensus
    JOINT_QUORUM_NEW_ONLY(
            "joint-quorum-new-only",
            "joint-consensus",
            "during the joint phase, commits and elections count a majority of C_new only",
            RaftBug.JOINT_QUORUM_NEW_ONLY),
    JOINT_NOT_COMPLETED(
            "joint-not-completed",
            "joint-consensus",
            "only the leader that began a joint change appends C_new, so a leader elected mid-change leaves the cluster joint",
            RaftBug.JOINT_NOT_COMPLETED);

    private final String key;
    private final String stage;
    private final String description;
    private final RaftBug raft;

    /** {@code raft} is the switch in the shared Raft core that makes this bug, or null for a bug of this reference's own code. */
    Bug(String key, String stage, String description, RaftBug raft) {
        this.key = key;
        this.stage = stage;
        this.description = description;
        this.raft = raft;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public RaftBug raft() {
        return raft;
    }
}
