package io.clstr.reference.raft;

/**
 * Mistakes in the Raft core that a reference's bug bank can switch on (one at a time), each marked
 * {@code // BUG <name>} where it acts. The reference that offers one maps its own bug name to it.
 */
public enum RaftBug {
    /** Writes are acknowledged from a 1 MiB user-space buffer, written when full or at a graceful stop. */
    ACK_BEFORE_SYNC,
    /** Replay always discards the last record, as if it were torn. */
    REPLAY_DROPS_LAST_ENTRY,
    /** Elections and the leader's quorum check count {@code clusterSize / 2} as a majority. */
    MINORITY_ELECTS,
    /**
     * Every majority (votes, commits, confirmed reads, the leader's quorum check) is counted as
     * {@code max(1, clusterSize / 2)}: one of three, so a leader alone commits and keeps leading.
     */
    HALF_IS_MAJORITY,
    /** A leader that hears from no quorum keeps leading. */
    NEVER_STEP_DOWN,
    /** A node never forgets the last leader it knew. */
    STALE_LEADER,
    /** Only AppendEntries that carry entries count as hearing from the leader. */
    HEARTBEAT_IGNORED,
    /** A vote is granted without checking whom this node already voted for in the term. */
    VOTE_TWICE,
    /** Followers never take the commit index from leader-commit. */
    IGNORE_LEADER_COMMIT,
    /** The leader answers a write once its own copy is durable, before a majority stores it. */
    ACK_BEFORE_COMMIT,
    /** A follower skips incoming entries at indexes it holds, whatever their term. */
    KEEP_CONFLICTING_ENTRIES,
    /** A follower accepts AppendEntries without comparing the term at prev-log-index. */
    NO_PREV_LOG_CHECK,
    /**
     * The term of a snapshot's last included entry is left out (0) of what the node reports and of the
     * InstallSnapshot it sends; its own files keep it (a field forgotten where the message is built).
     */
    SNAPSHOT_LOSES_LAST_TERM,
    /** A follower acknowledges an InstallSnapshot past its last log index and drops it. */
    INSTALL_SNAPSHOT_IGNORED_BEYOND_LOG,
    /** A joining node is made a voter at once instead of catching up as a learner first. */
    VOTER_BEFORE_CATCH_UP,
    /** A membership change is accepted while another is still in progress. */
    TWO_CHANGES_IN_FLIGHT,
    /** A leader keeps leading after the configuration without it is committed. */
    LEADER_STAYS_AFTER_REMOVAL,
    /** A removed node keeps its election timer and campaigns without PreVote. */
    REMOVED_NODE_DISRUPTS,
    /** While joint, decisions count a majority of C_new only. */
    JOINT_QUORUM_NEW_ONLY,
    /** Only the leader that began a joint change appends C_new; a leader elected mid-change never does. */
    JOINT_NOT_COMPLETED
}
