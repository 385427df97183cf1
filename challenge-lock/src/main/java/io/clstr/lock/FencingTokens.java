package io.clstr.lock;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.History;
import io.clstr.junit.lock.LockChecks;
import io.clstr.junit.lock.LockInput;
import io.clstr.junit.lock.LockOutput;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import io.clstr.lock.LockApi.Lease;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 5: fencing tokens. Every grant of a lock carries a token, strictly increasing per lock
 * across grants, restarts and failovers; a write that names a lock and a token applies only if,
 * when its entry is applied, that lock is held with that token. A lease alone cannot protect a
 * resource from a client that paused past its expiry; the token can.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000)
@Stage(key = "fencing-tokens", title = "Fencing Tokens")
public class FencingTokens {

    private static final String[] TOKEN_COUNTER = {
        "Keep one token counter per lock in the replicated state, increased when a grant is applied.",
        "The counter must outlive the lock being free, a restart (replay) and a new leader."
    };

    private static final String[] APPLY_TIME = {
        "Check Lock-Name and Fencing-Token when the write's entry is applied, against the lock table as it is "
                + "then.",
        "A check when the request arrives lets a write queued behind a revoke apply after it."
    };

    @Test
    @DisplayName("Tokens Increase and Retries Keep Their Token")
    void tokensIncreaseAndRetriesKeepTheirToken(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease a = api.grant(20);
        Lease b = api.grant(20);
        String lock = Names.of(cluster, "tokens");
        long first = token(api, lock, a, "the first grant of a lock");
        long retry = token(api, lock, a, "a retry by the holder's lease");
        if (retry != first) {
            throw tokenFailure(
                    "a retry of POST /locks/" + lock + " by its holder, first granted token " + first,
                    "token " + first,
                    "token " + retry,
                    "A retry by the same lease is the same grant: answer the same token.");
        }
        api.release(lock, a.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        long second = token(api, lock, b, "a grant after a release");
        api.release(lock, b.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        long third = token(api, lock, a, "a grant to a lease that held the lock before");
        if (!(first < second && second < third)) {
            throw tokenFailure(
                    "three grants of " + lock + " (a, b, then a again)",
                    "strictly increasing tokens",
                    first + ", " + second + ", " + third,
                    "Every new grant of a lock gets a token above all earlier ones, even to a former holder.",
                    TOKEN_COUNTER);
        }
    }

    @Test
    @DisplayName("A Paused Client's Late Write Is Refused")
    void aPausedClientsLateWriteIsRefused(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease paused = api.grant(2);
        Lease next = api.grant(20);
        String lock = Names.of(cluster, "paused");
        String resource = Names.of(cluster, "resource");
        long stale = token(api, lock, paused, "the first grant of a lock");
        fencedPut(api, resource, "from the first holder", lock, stale)
                .status(200)
                .hint(
                        "A write fenced with the current holder's lock and token must answer 200.",
                        "Apply a fenced write when the lock is held with exactly that token.")
                .check();
        api.expectFreeWithin(
                Duration.ofSeconds(2).plus(KeyTtl.STABLE_SLACK).plusSeconds(1),
                lock,
                "The first holder's lease (ttl 2, no keepalive) must expire and free the lock.",
                Leases.LEASE_EXPIRY);
        fencedPut(api, resource, "after expiry, from the first holder", lock, stale)
                .status(409)
                .body("stale fencing token")
                .hint(
                        "A write fenced with a lock nobody holds must answer 409 stale fencing token, even when its "
                                + "token is the last one granted: the holder's lease expired.",
                        "Apply a fenced write only if the lock is held, and with exactly that token.")
                .check();
        long current = token(api, lock, next, "a grant after the holder's lease expired");
        fencedPut(api, resource, "from the second holder", lock, current)
                .status(200)
                .hint("The new holder's fenced write must answer 200.")
                .check();
        fencedPut(api, resource, "late, from the first holder", lock, stale)
                .status(409)
                .body("stale fencing token")
                .hint(
                        "A write with the token of a lease that expired must answer 409 stale fencing token: the "
                                + "lease alone cannot stop a client that paused past its expiry.",
                        APPLY_TIME)
                .check();
        api.expectValue(resource, "from the second holder", "The refused late write must change nothing.");
    }

    @Test
    @DisplayName("Tokens Keep Increasing Across a Leader Kill and a Full Restart")
    void tokensKeepIncreasingAcrossALeaderKillAndAFullRestart(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        LockApi api = new LockApi(cluster, leader.node());
        String lock = Names.of(cluster, "durable");
        Lease a = api.grant(30);
        long before = token(api, lock, a, "the first grant of a lock");
        api.release(lock, a.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        cluster.kill(leader.node());
        LockApi next =
                new LockApi(cluster, RaftView.awaitNewLeader(cluster, leader).node());
        cluster.start(leader.node());
        Lease b = next.grant(30);
        long afterKill = token(next, lock, b, "a grant after a leader kill");
        next.release(lock, b.id(), "DELETE /locks/{name}?lease=ID by the holder must answer 200.");
        if (afterKill <= before) {
            throw tokenFailure(
                    "a grant of " + lock + " by a new leader, after token " + before,
                    "a token above " + before,
                    "token " + afterKill,
                    "Tokens must keep increasing when the leader changes.",
                    TOKEN_COUNTER);
        }
        cluster.kill(cluster.nodes().toArray(Node[]::new));
        cluster.start(cluster.nodes().toArray(Node[]::new));
        LockApi restarted = LockApi.onLeader(cluster);
        long afterRestart = token(restarted, lock, restarted.grant(30), "a grant after a full restart");
        if (afterRestart <= afterKill) {
            throw tokenFailure(
                    "a grant of " + lock + " after a full SIGKILL restart, after token " + afterKill,
                    "a token above " + afterKill,
                    "token " + afterRestart,
                    "Tokens must keep increasing across a full restart.",
                    TOKEN_COUNTER);
        }
    }

    @Test
    @DisplayName("A Revoked Holder's Pipelined Writes Never Overwrite the Next Holder's")
    void aRevokedHoldersPipelinedWritesNeverOverwriteTheNextHolders(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease a = api.grant(20);
        Lease b = api.grant(20);
        String lock = Names.of(cluster, "pipelined");
        String resource = Names.of(cluster, "resource");
        long stale = token(api, lock, a, "the first grant of a lock");
        History<LockInput, LockOutput> history = cluster.history();
        LockClient client = new LockClient(cluster, history);
        AtomicInteger written = new AtomicInteger();
        Node leader = api.target();
        try (ClientLoops pipeline = ClientLoops.start(
                cluster,
                "fenced-writer",
                8,
                (id, random) -> client.fencedWrite(
                        id, leader, lock, a.id(), stale, resource, "a-" + written.incrementAndGet()))) {
            Workloads.awaitOk(history, e -> e.output() instanceof LockOutput.Done, 20, "fenced writes");
            api.revoke(a.id(), "DELETE /leases/{id} must answer 200.");
            long current = token(api, lock, b, "a grant after the holder's lease was revoked");
            fencedPut(api, resource, "b", lock, current)
                    .status(200)
                    .hint("The new holder's fenced write must answer 200.")
                    .check();
            Workloads.awaitOk(
                    history,
                    e -> e.output() instanceof LockOutput.Refused,
                    20,
                    "fenced writes of the revoked holder (answered 409)");
        }
        api.expectValue(
                resource,
                "b",
                "A write fenced with a revoked lease's token was applied after the new holder's write.",
                APPLY_TIME);
    }

    @Test
    @DisplayName("Tokens Are Unique per Lock and Ordered Like the Grants Under Chaos")
    void tokensAreUniquePerLockAndOrderedLikeTheGrantsUnderChaos(Cluster cluster) {
        History<LockInput, LockOutput> history = cluster.history();
        String lock = Names.of(cluster, "chaos");
        LockWorkload.throughChaos(cluster, history, lock, 6, 0);
        cluster.assertHolds(
                history,
                LockChecks.fencingOrder(),
                "Two grants of one lock got tokens out of the order in which they happened, or the same token.",
                TOKEN_COUNTER);
        cluster.assertHolds(
                history,
                LockChecks.mutualExclusion(),
                "Two leases held the lock at once.",
                NamedLocks.REPLICATED_LOCKS);
    }

    /** The token of a grant of {@code lock} to {@code lease}, which must answer 200 with one. */
    private static long token(LockApi api, String lock, Lease lease, String what) {
        return api.httpPost("/locks/" + lock + "?lease=" + lease.id(), "")
                .status(200)
                .json("token", JsonMatchers.above(0))
                .hint(
                        "An acquire answered 200 must carry \"token\": a whole number above 0 (" + what + ").",
                        TOKEN_COUNTER)
                .check()
                .response()
                .jsonLong("token")
                .orElseThrow();
    }

    private static io.clstr.junit.check.HttpCheck fencedPut(
            LockApi api, String key, String value, String lock, long token) {
        return api.httpPut("/kv/" + key, value)
                .withHeader("Lock-Name", lock)
                .withHeader("Fencing-Token", Long.toString(token));
    }

    private static AssertionError tokenFailure(
            String what, String expected, String found, String diagnosis, String... causes) {
        return Failure.of(what)
                .expected(expected)
                .found(found)
                .hint(diagnosis, causes)
                .error();
    }
}
