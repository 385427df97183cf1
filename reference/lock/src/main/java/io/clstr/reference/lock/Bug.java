package io.clstr.reference.lock;

import io.clstr.reference.raft.RaftBug;
import io.clstr.reference.raft.ReferenceBug;

/**
 * The bugs this reference can switch on with {@code REFERENCE_BUG=<name>}: each a mistake a
 * learner could make at its stage, leaving every earlier stage passing. BUGS.md names the test
 * that catches each.
 */
enum Bug implements ReferenceBug {
    // key-ttl
    FOLLOWER_EXPIRY_TIMERS(
            "follower-expiry-timers",
            "key-ttl",
            "every node counts a key's TTL from the moment it applies the PUT, by its own clock, and deletes "
                    + "expired keys on its own timer with no log entry, so replicas that applied late (or replayed "
                    + "after a restart) keep the key longer",
            null),
    EXPIRY_IN_LEADER_MEMORY(
            "expiry-in-leader-memory",
            "key-ttl",
            "the leader keeps key deadlines in a map of its own and logs the PUT without its TTL, proposing a "
                    + "DELETE when a deadline passes, so after a leader kill or a full restart nothing expires",
            null),

    // cas
    REVISION_IN_MEMORY(
            "revision-in-memory",
            "cas",
            "the revision counter is not part of the replayed state: after a restart it starts again from 0",
            null),
    CAS_AT_REQUEST_TIME(
            "cas-at-request-time",
            "cas",
            "If-Match and If-None-Match are compared when the request arrives, before the write is logged, so "
                    + "concurrent create-only PUTs can all win",
            null),

    // leases
    KEEPALIVE_WITHOUT_LEADERSHIP_CHECK(
            "keepalive-without-leadership-check",
            "leases",
            "a keepalive is answered from the leader's lease table at once (the extension is proposed but not "
                    + "awaited), and the leader, as in the Raft paper, steps down only on a higher term: cut off "
                    + "from the majority, it keeps acknowledging keepalives",
            RaftBug.NEVER_STEP_DOWN),
    NO_LEADER_GRACE(
            "no-leader-grace",
            "leases",
            "a new leader expires at once every lease whose deadline passed during the failover, without the "
                    + "1 s grace period, so a client that kept its lease alive loses it",
            null),

    // lock-api
    LOCK_NOT_RELEASED_ON_EXPIRY(
            "lock-not-released-on-expiry",
            "lock-api",
            "revoking a lease releases its locks, but a lease that expires keeps holding them",
            null),
    LOCK_TABLE_IN_LEADER_MEMORY(
            "lock-table-in-leader-memory",
            "lock-api",
            "only the node that served an acquire records the holder (the lock table is the leader's memory), "
                    + "so after a failover or a restart the lock is free",
            null),

    // fencing-tokens
    TOKEN_PER_LEADER(
            "token-per-leader",
            "fencing-tokens",
            "the leader numbers a lock's grants from 1 in each of its terms (its count is not in the log), so "
                    + "tokens go back after a failover or a restart",
            null),
    FENCED_WRITE_AFTER_RELEASE(
            "fenced-write-after-release",
            "fencing-tokens",
            "a fenced write applies when its token is the lock's latest, whether or not the lock is still held: "
                    + "a holder whose lease expired (or who released) writes on until someone else acquires",
            null),
    TOKEN_CHECKED_AT_REQUEST_TIME(
            "token-checked-at-request-time",
            "fencing-tokens",
            "a fenced write's token is checked when the request arrives, not when its entry applies, so a write "
                    + "queued behind a revoke still lands",
            null),

    // watches
    WATCH_HISTORY_IN_LEADER_MEMORY(
            "watch-history-in-leader-memory",
            "watches",
            "only the node that proposed a write records its event, so a new leader's history lacks the old "
                    + "leader's events and a resuming watcher sees a gap",
            null),
    EXPIRY_EMITS_NO_EVENT(
            "expiry-emits-no-event",
            "watches",
            "keys deleted by expiry (their TTL or their lease's) get a revision but no delete event",
            null),
    WATCH_REV_EXCLUSIVE(
            "watch-rev-exclusive", "watches", "a watch returns the events after revision N instead of from N", null),

    // lock-queue
    THUNDERING_HERD(
            "thundering-herd",
            "lock-queue",
            "a waiting acquire keeps no place: it retries every 50-150 ms until its wait runs out, so at a "
                    + "release whoever retries first wins",
            null),
    WAIT_QUEUE_IN_LEADER_MEMORY(
            "wait-queue-in-leader-memory",
            "lock-queue",
            "only the node that served a waiting acquire records the waiter, so a new leader's queues are " + "empty",
            null),
    TIMED_OUT_WAITER_DROPPED(
            "timed-out-waiter-dropped",
            "lock-queue",
            "a waiter whose wait runs out leaves the queue, so it has to join again at the back",
            null);

    private final String key;
    private final String stage;
    private final String description;
    private final RaftBug raft;

    /** {@code raft} is the switch in the shared Raft core this bug also needs, or null. */
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
