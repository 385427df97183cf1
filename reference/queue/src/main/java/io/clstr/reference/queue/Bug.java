package io.clstr.reference.queue;

import io.clstr.reference.raft.RaftBug;
import io.clstr.reference.raft.ReferenceBug;

/**
 * The bugs this reference can switch on with {@code REFERENCE_BUG=<name>}: each a mistake a
 * learner could make at its stage, leaving every earlier stage passing. BUGS.md names the test
 * that catches each.
 */
enum Bug implements ReferenceBug {
    // http-api
    NEWEST_FIRST("newest-first", "http-api", "receive walks the queue from its newest message, as a stack would", null),
    RECEIVE_NOT_HIDING(
            "receive-not-hiding",
            "http-api",
            "receive hands out a receipt but leaves the message visible, so the next receive returns it again",
            null),
    UNSAFE_IDS(
            "unsafe-ids",
            "http-api",
            "the request thread reads the queue's last id and sends last + 1 with the command, so two concurrent "
                    + "sends can get the same id and the second replaces the first",
            null),
    UNKNOWN_RECEIPT_OK(
            "unknown-receipt-ok",
            "http-api",
            "a delete with a receipt that was never issued answers 200, not 404",
            null),

    // visibility-timeout
    RECEIPT_IS_MESSAGE_ID(
            "receipt-is-message-id",
            "visibility-timeout",
            "the receipt handle is the queue and the message id, so the receipt of an expired delivery deletes the "
                    + "redelivered message",
            null),
    EXPIRED_TO_BACK(
            "expired-to-back",
            "visibility-timeout",
            "a message whose visibility expires goes back to the end of its queue instead of its old place",
            null),
    FIXED_VISIBILITY(
            "fixed-visibility",
            "visibility-timeout",
            "receive ignores ?visibility= and always hides messages for the default 5 s",
            null),

    // crash-recovery
    DELETE_NOT_SYNCED(
            "delete-not-synced",
            "crash-recovery",
            "deletes are answered at once and written to the log by a background flush every two seconds, to save "
                    + "fsyncs",
            null),
    RELATIVE_DEADLINES(
            "relative-deadlines",
            "crash-recovery",
            "the log keeps a delivery's visibility as a duration and replay counts it from the restart, so "
                    + "in-flight messages stay hidden too long after a crash",
            null),
    IDS_REUSED(
            "ids-reused",
            "crash-recovery",
            "after a restart each queue's next id is one more than the largest id still in it, so ids of "
                    + "deleted messages are given again",
            null),

    // replication
    HALF_IS_MAJORITY(
            "half-is-majority",
            "replication",
            "every majority is counted as clusterSize / 2 (one of three): a leader alone commits, serves and "
                    + "never steps down",
            RaftBug.HALF_IS_MAJORITY),
    DEADLINE_ON_LEADER_ONLY(
            "deadline-on-leader-only",
            "replication",
            "only the node that served a receive keeps its deadline (the others apply it with none, since only the "
                    + "leader runs the expiry timer), so after a failover the message stays in flight for good",
            null),

    // dead-letter
    CONFIG_ON_LEADER_ONLY(
            "config-on-leader-only",
            "dead-letter",
            "PUT /queues/{q}/config changes the leader's state and is never logged (\"config is metadata\"), so a "
                    + "new leader has no limit and no dead-letter queue",
            null),
    DELETED_THEN_MOVED(
            "deleted-then-moved",
            "dead-letter",
            "the move is decided when a receive reaches the limit and carried out at that delivery's deadline, "
                    + "even if the message was deleted in time",
            null),
    MOVE_IN_TWO_ENTRIES(
            "move-in-two-entries",
            "dead-letter",
            "the expiry entry only takes a message at its limit out of its queue; the leader's timer then sends it "
                    + "to the dead-letter queue in an entry of its own, one per tick, so a leader killed in between "
                    + "loses the messages it had not sent on",
            null),

    // deduplication
    DEDUP_NOT_AFTER_DELETE(
            "dedup-not-after-delete",
            "deduplication",
            "a repeat is recognised only while the first message is still in its queue, so a resend after the "
                    + "delete creates a new message",
            null),
    DEDUP_CHECK_AT_REQUEST(
            "dedup-check-at-request",
            "deduplication",
            "the request thread looks the Dedup-Id up in the applied state and logs the send when it is not there; "
                    + "applying never checks again, so repeats sent at once each create a message",
            null),
    DEDUP_ON_LEADER_ONLY(
            "dedup-on-leader-only",
            "deduplication",
            "the dedup table is a map in the serving node's memory and the log never sees a Dedup-Id, so after a "
                    + "restart or a failover repeats create new messages",
            null),

    // message-groups
    BLOCKED_GROUP_BLOCKS_QUEUE(
            "blocked-group-blocks-queue",
            "message-groups",
            "a receive stops at the first message of a blocked group instead of skipping the group, so one group "
                    + "in flight holds back every group behind it",
            null),
    EXPIRED_HEAD_TO_BACK(
            "expired-head-to-back",
            "message-groups",
            "a group's message whose visibility runs out goes behind the rest of its group, so the next one is "
                    + "delivered before it",
            null),
    GROUP_LOCK_ON_LEADER_ONLY(
            "group-lock-on-leader-only",
            "message-groups",
            "only the node that served a receive blocks the message's group; the others apply the delivery "
                    + "without the lock, so after a failover the next message of the group is delivered while the "
                    + "head is still in flight",
            null),

    // streams
    COMMITTED_OFFSET_OVERWRITTEN(
            "committed-offset-overwritten",
            "streams",
            "a group's committed offset is replaced by every commit, so a late or repeated commit of a lower offset "
                    + "moves it back",
            null),
    OFFSET_BEFORE_COMMIT(
            "offset-before-commit",
            "streams",
            "the leader gives an append the next offset of its own count as soon as the entry is in its log and "
                    + "answers without waiting for the commit, so a leader cut off from the majority acknowledges "
                    + "appends that are lost, and its offsets are given again",
            null);

    private final String key;
    private final String stage;
    private final String description;
    private final RaftBug raft;

    /** {@code raft} is the switch in the shared Raft core that makes this bug, or null for a bug of the queue's own code. */
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
