package io.clstr.lock;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Request;
import io.clstr.junit.history.History;
import io.clstr.junit.lock.LockChecks;
import io.clstr.junit.lock.LockInput;
import io.clstr.junit.lock.LockOutput;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import io.clstr.lock.LockApi.Lease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 7: fair, blocking acquisition. {@code POST /locks/{name}?lease=ID&wait=S} joins a FIFO of
 * waiters that lives in the replicated state; a release hands the lock to the head waiter in the
 * same entry; a waiter keeps its place until its lease ends or it leaves.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000)
@Stage(key = "lock-queue", title = "Fair, Blocking Acquisition")
public class LockQueue {

    private static final String[] QUEUE = {
        "Keep each lock's waiters in the replicated state, in the order their join entries were applied.",
        "Hand the lock to the head waiter in the same entry as the release, revoke or expiry."
    };

    @Test
    @DisplayName("Handoff in Arrival Order")
    void handoffInArrivalOrder(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String lock = Names.of(cluster, "fifo");
        Lease a = api.grant(30);
        List<Lease> waiters = List.of(api.grant(30), api.grant(30), api.grant(30));
        for (String wait : List.of("4", "-1", "abc", "1.5")) {
            api.httpPost("/locks/" + lock + "?lease=" + a.id() + "&wait=" + wait, "")
                    .status(400)
                    .body("invalid wait")
                    .hint("POST /locks/{name}?wait=" + wait + " must answer 400 invalid wait: wait is 0 to 3 seconds.")
                    .check();
        }
        api.acquire(lock, a.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        for (int i = 0; i < waiters.size(); i++) {
            join(cluster, api, lock, waiters.get(i), 3);
            expectWaiters(api, lock, waiters.subList(0, i + 1), "A waiting acquire must join the lock's waiters.");
        }
        Lease holder = a;
        for (Lease next : waiters) {
            api.release(lock, holder.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
            api.expectHolderWithin(
                    Duration.ofSeconds(1),
                    lock,
                    next.id(),
                    "A release must hand the lock to the waiter that came first.",
                    QUEUE);
            holder = next;
        }
        api.acquire(lock, holder.id(), "The lease the lock was handed to must get 200 when it asks again.");
    }

    @Test
    @DisplayName("A Waiter That Timed Out Still Gets the Lock in Turn")
    void aWaiterThatTimedOutStillGetsTheLockInTurn(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String lock = Names.of(cluster, "timed-out");
        Lease a = api.grant(30);
        Lease b = api.grant(30);
        api.acquire(lock, a.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        long sent = System.nanoTime();
        api.httpPost("/locks/" + lock + "?lease=" + b.id() + "&wait=1", "")
                .status(409)
                .body("lock is held")
                .timeout(Duration.ofSeconds(3))
                .hint(
                        "A waiting acquire of a held lock must answer 409 lock is held when its wait runs out.",
                        "Park the request until the lock is handed to it or wait seconds pass.")
                .check();
        long waited = (System.nanoTime() - sent) / 1_000_000;
        if (waited < 900) {
            throw Failure.of("POST /locks/" + lock + "?lease=" + b.id() + "&wait=1 of a held lock")
                    .expected("409 after waiting about 1 s")
                    .found("409 after " + waited + " ms")
                    .hint("A waiting acquire waits wait seconds before it gives up.")
                    .error();
        }
        expectWaiters(
                api,
                lock,
                List.of(b),
                "A waiter whose wait ran out keeps its place until its lease ends or it leaves.",
                "Remove a waiter only on DELETE /locks/{name}?lease=ID or when its lease ends.");
        api.release(lock, a.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        api.expectHolderWithin(
                Duration.ofSeconds(1), lock, b.id(), "The release must hand the lock to the waiter in turn.", QUEUE);
        api.acquire(lock, b.id(), "The waiter the lock was handed to must get 200 when it asks again.");
    }

    @Test
    @DisplayName("Expired Waiters Are Skipped, Leaving Works")
    void expiredWaitersAreSkippedLeavingWorks(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String lock = Names.of(cluster, "skipped");
        Lease a = api.grant(30);
        api.acquire(lock, a.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        long granted = System.nanoTime();
        Lease expiring = api.grant(2);
        Lease staying = api.grant(30);
        Lease leaving = api.grant(30);
        for (Lease waiter : List.of(expiring, staying, leaving)) {
            api.httpPost("/locks/" + lock + "?lease=" + waiter.id() + "&wait=0", "")
                    .status(409)
                    .body("lock is held")
                    .hint("POST /locks/{name}?lease=ID&wait=0 of a held lock must answer 409 lock is held at once.")
                    .check();
        }
        expectWaiters(api, lock, List.of(expiring, staying, leaving), "Each waiting acquire joins the waiters.");
        api.release(lock, leaving.id(), "DELETE /locks/{name}?lease=ID by a waiter must answer 200: it leaves.");
        expectWaiters(
                api,
                lock,
                List.of(expiring, staying),
                "A waiter that leaves (DELETE /locks/{name}?lease=ID) must be gone from the waiters.");
        api.httpGet("/locks/" + lock)
                .status(200)
                .json("waiters", List.of(staying.id()))
                .eventually(LockApi.until(granted
                        + Duration.ofSeconds(2).plus(KeyTtl.STABLE_SLACK).toNanos()))
                .hint(
                        "A waiter whose lease expired (ttl 2) must leave the waiters within 3.5 s.",
                        "Drop the lease's places in every wait queue in its expiry entry.")
                .check();
        api.release(lock, a.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        api.expectHolderWithin(
                Duration.ofSeconds(1),
                lock,
                staying.id(),
                "The release must skip the expired waiter and hand the lock to the next one.",
                QUEUE);
    }

    @Test
    @DisplayName("The Wait Queue Survives a Leader Kill")
    void theWaitQueueSurvivesALeaderKill(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        LockApi api = new LockApi(cluster, leader.node());
        String lock = Names.of(cluster, "durable");
        Lease a = api.grant(30);
        Lease b = api.grant(30);
        Lease c = api.grant(30);
        api.acquire(lock, a.id(), "POST /locks/{name}?lease=ID of a free lock must answer 200.");
        for (Lease waiter : List.of(b, c)) {
            api.httpPost("/locks/" + lock + "?lease=" + waiter.id() + "&wait=0", "")
                    .status(409)
                    .body("lock is held")
                    .hint("POST /locks/{name}?lease=ID&wait=0 of a held lock must answer 409 lock is held at once.")
                    .check();
        }
        cluster.kill(leader.node());
        LockApi next =
                new LockApi(cluster, RaftView.awaitNewLeader(cluster, leader).node());
        cluster.start(leader.node());
        expectWaiters(
                next,
                lock,
                List.of(b, c),
                "After a leader kill, the new leader must know the waiters, in order.",
                QUEUE[0]);
        next.release(lock, a.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        next.expectHolderWithin(
                Duration.ofSeconds(1), lock, b.id(), "The new leader must hand the lock to the first waiter.", QUEUE);
    }

    @Test
    @DisplayName("Mutual Exclusion, No Overtaking and Bounded Waiting Under 15 s of Chaos")
    void mutualExclusionNoOvertakingAndBoundedWaitingUnder15sOfChaos(Cluster cluster) {
        History<LockInput, LockOutput> history = cluster.history();
        String lock = Names.of(cluster, "chaos");
        LockWorkload.throughChaos(cluster, history, lock, 5, 2);
        cluster.assertHolds(
                history,
                LockChecks.mutualExclusion(),
                "Two leases held the lock at once.",
                NamedLocks.REPLICATED_LOCKS);
        cluster.assertHolds(
                history,
                LockChecks.noOvertaking(),
                "A waiter got the lock while one that certainly came before it was still waiting.",
                QUEUE);
        cluster.assertHolds(
                history,
                LockChecks.boundedWaiting(Duration.ofSeconds(10)),
                "A waiter whose lease stayed alive waited more than 10 s.",
                "Hand the lock on at every release, revoke and expiry; a waiter must never be forgotten.",
                "A new leader must keep the wait queue and go on handing off.");
    }

    /** Sends a waiting acquire that stays in flight (its answer is not awaited) and waits until it has joined. */
    private static void join(Cluster cluster, LockApi api, String lock, Lease lease, long waitSeconds) {
        CompletableFuture.runAsync(() -> cluster.send(
                api.target(),
                Request.post("/locks/" + lock + "?lease=" + lease.id() + "&wait=" + waitSeconds, "")
                        .withFollowRedirects(true)
                        .withTimeout(Duration.ofSeconds(waitSeconds + 1))));
    }

    private static void expectWaiters(
            LockApi api, String lock, List<Lease> waiters, String diagnosis, String... causes) {
        api.httpGet("/locks/" + lock)
                .status(200)
                .json("waiters", waiters.stream().map(Lease::id).toList())
                .eventually(Duration.ofSeconds(1))
                .hint(
                        diagnosis + " GET /locks/{name} lists them as \"waiters\": [lease ids], first come first.",
                        causes)
                .check();
    }
}
