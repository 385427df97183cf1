package io.clstr.lock;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.history.History;
import io.clstr.junit.lock.LockChecks;
import io.clstr.junit.lock.LockInput;
import io.clstr.junit.lock.LockOutput;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import io.clstr.lock.LockApi.Lease;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 4: named locks bound to leases. A lock is held by one lease until released, or until the
 * lease is revoked or expires, in the same entry; a holder cut off from the majority keeps its lock
 * until its lease certainly ran out, and never longer.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000)
@Stage(key = "lock-api", title = "Named Locks Bound to Leases")
public class NamedLocks {

    static final String[] REPLICATED_LOCKS = {
        "Keep the lock table in the replicated state: an acquire is an entry, decided when it is applied.",
        "Answer an acquire only once its entry is committed and applied."
    };

    @Test
    @DisplayName("Acquire, Get and Release: Other Leases Get 409, the Holder 200")
    void acquireGetAndReleaseOtherLeasesGet409TheHolder200(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease a = api.grant(10);
        Lease b = api.grant(10);
        String lock = Names.of(cluster, "lock");
        api.httpGet("/locks/" + lock)
                .status(404)
                .body("lock not found")
                .hint("GET /locks/{name} of a lock no one holds must answer 404 lock not found.")
                .check();
        api.acquire(
                lock,
                a.id(),
                "POST /locks/{name}?lease=ID of a free lock must answer 200 {\"name\", \"lease\"}.",
                REPLICATED_LOCKS);
        api.expectHolder(lock, a.id(), "GET /locks/{name} must answer 200 {\"name\", \"lease\"} naming the holder.");
        api.acquireRefused(
                lock,
                b.id(),
                409,
                "lock is held",
                "Another lease's acquire of a held lock must answer 409 lock is held.",
                REPLICATED_LOCKS);
        api.acquire(
                lock,
                a.id(),
                "The holder's lease acquiring again must answer 200 (a client retrying after a lost answer).",
                "Compare the lease of the acquire with the holder's: the same lease is granted again.");
        api.acquireRefused(
                Names.of(cluster, "lock"),
                "no-such-lease-" + Names.of(cluster, "x"),
                404,
                "lease not found",
                "An acquire with an unknown lease must answer 404 lease not found.");
        api.release(lock, a.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        api.expectFree(lock, "After the release, GET /locks/{name} must answer 404 lock not found.");
        api.release(lock, a.id(), "DELETE /locks/{name}?lease=ID of a free lock must answer 200 too.");
        api.acquire(lock, b.id(), "Once released, the lock must go to the next lease that asks: 200.");
        api.expectHolder(lock, b.id(), "GET /locks/{name} must name the new holder.");
    }

    @Test
    @DisplayName("Release by a Non-Holder Is Refused")
    void releaseByANonHolderIsRefused(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease holder = api.grant(10);
        Lease other = api.grant(10);
        String lock = Names.of(cluster, "lock");
        api.acquire(lock, holder.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        api.httpDelete("/locks/" + lock + "?lease=" + other.id())
                .status(409)
                .body("lock is held")
                .hint(
                        "DELETE /locks/{name}?lease=ID by a lease that does not hold the lock must answer 409 lock "
                                + "is held and change nothing.",
                        "Release only when the lease of the request is the holder's.")
                .check();
        api.expectHolder(lock, holder.id(), "A refused release must leave the holder in place.");
    }

    @Test
    @DisplayName("Locks Are Released on Revoke and Expiry, Never Early")
    void locksAreReleasedOnRevokeAndExpiryNeverEarly(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease revoked = api.grant(10);
        String first = Names.of(cluster, "revoked");
        api.acquire(first, revoked.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        api.revoke(revoked.id(), "DELETE /leases/{id} must answer 200.");
        api.expectFree(
                first,
                "Revoking a lease must release its locks in the same entry: GET /locks/{name} answers 404.",
                "When applying the revoke, release every lock the lease holds.");

        long invoked = System.nanoTime();
        Lease expiring = api.grant(2);
        long acknowledged = System.nanoTime();
        String second = Names.of(cluster, "expiring");
        api.acquire(second, expiring.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        api.expectHolderThroughout(
                LockApi.until(
                        invoked + Duration.ofSeconds(2).minus(KeyTtl.MARGIN).toNanos()),
                second,
                expiring.id(),
                "A lock must stay with its lease until the lease's 2 s have passed.",
                "Release a lock only when its lease is revoked or expires, by an entry.");
        api.expectFreeWithin(
                LockApi.until(acknowledged
                        + Duration.ofSeconds(2).plus(KeyTtl.STABLE_SLACK).toNanos()),
                second,
                "A lock whose lease expired (ttl 2, no keepalive) must be free within 3.5 s of the grant.",
                "Release the lease's locks in the lease's expiry entry, as a revoke does.");
    }

    @Test
    @DisplayName("Acquire Then Immediate Leader Kill: a Retry With the Same Lease Succeeds")
    void acquireThenImmediateLeaderKillARetryWithTheSameLeaseSucceeds(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        LockApi api = new LockApi(cluster, leader.node());
        Lease holder = api.grant(20);
        Lease other = api.grant(20);
        String lock = Names.of(cluster, "failover");
        api.acquire(lock, holder.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        cluster.kill(leader.node());
        LockApi next =
                new LockApi(cluster, RaftView.awaitNewLeader(cluster, leader).node());
        next.acquireRefused(
                lock,
                other.id(),
                409,
                "lock is held",
                "After the leader that granted the lock was killed, the new leader gave it to another lease.",
                REPLICATED_LOCKS);
        next.acquire(
                lock,
                holder.id(),
                "A lock acquired just before a leader kill must still be held: a retry with the same lease must "
                        + "answer 200.",
                REPLICATED_LOCKS);
        cluster.start(leader.node());
    }

    @Test
    @DisplayName("Mutual Exclusion Holds Through 15 s of Chaos")
    void mutualExclusionHoldsThrough15sOfChaos(Cluster cluster) {
        History<LockInput, LockOutput> history = cluster.history();
        String lock = Names.of(cluster, "chaos");
        LockWorkload.throughChaos(cluster, history, lock, 6, 0);
        cluster.assertHolds(
                history,
                LockChecks.mutualExclusion(),
                "Two leases held the lock at once: one's acquire answered 200 while the other certainly held it.",
                "Grant, release and expire locks only through committed entries.",
                "A leader must confirm it still leads before answering an acquire or a keepalive.",
                "A new leader extends every lease by 1 s before expiring anything, never the other way round.");
    }

    @Test
    @DisplayName("A Partitioned Holder's Lock Goes to Another Only After Its Lease Certainly Ran Out")
    void aPartitionedHoldersLockGoesToAnotherOnlyAfterItsLeaseCertainlyRanOut(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        History<LockInput, LockOutput> history = cluster.history();
        String lock = Names.of(cluster, "partitioned");
        LockClient pinned = LockClient.pinned(cluster, history);
        LockClient client = new LockClient(cluster, history);
        String holder = LockWorkload.lease(pinned, 0, leader.node(), 3);
        String other = LockWorkload.lease(client, 1, leader.node(), 20);
        LockWorkload.expectGranted(pinned.acquire(0, leader.node(), lock, holder, 3, 0), lock);
        List<Node> majority = cluster.othersThan(leader.node());
        try (LockWorkload.Pinned keepalives = LockWorkload.keepaliveOn(pinned, 0, leader.node(), holder, 3)) {
            cluster.partitionNow(List.of(leader.node()), majority);
            LockWorkload.acquireWithin(cluster, client, 1, majority, lock, other, 20, Duration.ofSeconds(3 * 2 + 3));
        }
        cluster.heal();
        cluster.assertHolds(
                history,
                LockChecks.mutualExclusion(),
                "The majority granted the lock while the partitioned holder's lease could still be alive.",
                "The old leader must stop acknowledging keepalives once it cannot reach a majority.",
                "Keep the lock table and lease deadlines in the replicated state, so the new leader knows them.",
                "A new leader extends every lease by 1 s before expiring any.");
    }
}
