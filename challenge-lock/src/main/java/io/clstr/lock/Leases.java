package io.clstr.lock;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.check.Response;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import io.clstr.lock.LockApi.Lease;
import java.time.Duration;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 3: leases. A lease lives for its TTL after its grant or last keepalive, keys attached to it
 * go with it, and its time runs through the log: a new leader extends every lease by a 1 s grace
 * before expiring any, and a leader answers a keepalive only after confirming it still leads.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000)
@Stage(key = "leases", title = "Leases")
public class Leases {

    static final String[] LEASE_EXPIRY = {
        "Have the leader propose an expiry entry once a lease's deadline (last grant or keepalive stamp + ttl) "
                + "passed, deleting its keys in the same entry.",
        "Followers run no timers that change state."
    };

    @Test
    @DisplayName("Grant, Get and Revoke")
    void grantGetAndRevoke(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        for (String ttl : List.of("0", "abc", "-3", "")) {
            api.httpPost("/leases", ttl)
                    .status(400)
                    .body("invalid ttl")
                    .hint(
                            "POST /leases with a body that is not a whole number of seconds must answer 400 "
                                    + "invalid ttl.",
                            "Read the TTL from the body, a whole number of seconds, 1 or more.")
                    .check();
        }
        api.grant(
                1,
                2,
                "POST /leases with body 1 must answer 200 with \"ttl\": 2.",
                "The shortest lease is 2 s: raise smaller TTLs to 2.");
        Lease lease = api.grant(5);
        String key = Names.of(cluster, "leased");
        api.put(
                key,
                "?lease=" + lease.id(),
                "attached",
                "PUT /kv/{key}?lease=ID must answer 200 for a live lease.",
                "Attach the key to the lease; it goes when the lease goes.");
        Response info = api.httpGet("/leases/" + lease.id())
                .status(200)
                .json("id", lease.id())
                .json("ttl", JsonMatchers.wholeNumber(5))
                .json("keys", List.of(key))
                .json("remaining", Matchers.notNullValue())
                .hint(
                        "GET /leases/{id} must answer 200 {\"id\", \"ttl\", \"remaining\", \"keys\"}, keys listing "
                                + "the keys attached to it.",
                        "remaining is the seconds left before the lease expires (at most its ttl).")
                .check()
                .response();
        Object remaining = info.jsonValue("remaining").orElse(null);
        // a leader elected just before the grant may apply its 1 s grace to it too
        if (!(remaining instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 5 + 1) {
            throw Failure.of("GET /leases/" + lease.id() + " just after its grant with ttl 5")
                    .expected("\"remaining\": a number from 0 to 5 (6 with a new leader's 1 s grace)")
                    .found(String.valueOf(remaining))
                    .hint("remaining is the time left before the lease expires, in seconds.")
                    .error();
        }
        api.httpPost("/leases/" + lease.id() + "/keepalive", "")
                .status(200)
                .json("id", lease.id())
                .json("ttl", JsonMatchers.wholeNumber(5))
                .hint("POST /leases/{id}/keepalive must answer 200 {\"id\", \"ttl\"} for a live lease.")
                .check();
        api.httpPut("/kv/" + Names.of(cluster, "both") + "?lease=" + lease.id() + "&ttl=3", "refused")
                .status(400)
                .body("cannot use ttl with lease")
                .hint("A PUT with both ?ttl and ?lease must answer 400 cannot use ttl with lease.")
                .check();
        String unknown = "no-such-lease-" + Names.of(cluster, "x");
        api.httpPut("/kv/" + Names.of(cluster, "orphan") + "?lease=" + unknown, "refused")
                .status(404)
                .body("lease not found")
                .hint("A PUT with an unknown lease must answer 404 lease not found and store nothing.")
                .check();
        api.httpPost("/leases/" + unknown + "/keepalive", "")
                .status(404)
                .body("lease not found")
                .hint("A keepalive of an unknown lease must answer 404 lease not found.")
                .check();
        api.revoke(lease.id(), "DELETE /leases/{id} must answer 200.");
        api.httpGet("/leases/" + lease.id())
                .status(404)
                .body("lease not found")
                .hint("After DELETE /leases/{id}, GET /leases/{id} must answer 404 lease not found.")
                .check();
        api.expectGone(
                key,
                "Revoking a lease deletes its keys in the same entry.",
                "Delete every key attached to the lease when applying the revoke.");
        api.revoke(lease.id(), "DELETE /leases/{id} is idempotent: a second one must answer 200 too.");
    }

    @Test
    @DisplayName("Keys Without Keepalive Are Gone in Time")
    void keysWithoutKeepaliveAreGoneInTime(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        long invoked = System.nanoTime();
        Lease lease = api.grant(2);
        long acknowledged = System.nanoTime();
        String first = Names.of(cluster, "leased");
        String second = Names.of(cluster, "leased");
        for (String key : List.of(first, second)) {
            api.put(key, "?lease=" + lease.id(), "until expiry", "PUT /kv/{key}?lease=ID must answer 200.");
        }
        api.expectValueThroughout(
                LockApi.until(
                        invoked + Duration.ofSeconds(2).minus(KeyTtl.MARGIN).toNanos()),
                first,
                "until expiry",
                "A key of a lease with ttl 2 must live until 2 s after the grant.",
                "Count the lease's time from its grant's entry stamp, in seconds.");
        long deadline =
                acknowledged + Duration.ofSeconds(2).plus(KeyTtl.STABLE_SLACK).toNanos();
        api.expectLeaseGoneWithin(
                LockApi.until(deadline),
                lease.id(),
                "A lease with ttl 2 and no keepalive must be gone (404 lease not found) within 3.5 s of its grant.",
                LEASE_EXPIRY);
        for (String key : List.of(first, second)) {
            api.expectGoneWithin(
                    LockApi.until(deadline),
                    key,
                    "The keys of an expired lease must be gone with it.",
                    "Delete every key attached to the lease in the expiry entry.");
        }
    }

    @Test
    @DisplayName("Regular Keepalives Keep Keys for 6 s")
    void regularKeepalivesKeepKeysFor6s(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease lease = api.grant(2);
        String key = Names.of(cluster, "kept");
        api.put(key, "?lease=" + lease.id(), "kept alive", "PUT /kv/{key}?lease=ID must answer 200.");
        long lastAck;
        try (KeepAlive keepAlive = new KeepAlive(cluster, lease.id(), Duration.ofMillis(500))) {
            api.expectValueThroughout(
                    Duration.ofSeconds(6),
                    key,
                    "kept alive",
                    "With a keepalive every 0.5 s, a lease with ttl 2 and its keys must live on.",
                    "A keepalive sets the lease's deadline to its entry's stamp + ttl.",
                    "Answer a keepalive within the request timeout (1 s).");
            lastAck = keepAlive.lastAckInvoked();
        }
        api.expectGoneWithin(
                LockApi.until(lastAck
                        + Duration.ofSeconds(2).plus(KeyTtl.STABLE_SLACK).toNanos()),
                key,
                "Once the keepalives stop, the lease and its keys must be gone within ttl + 1.5 s.",
                LEASE_EXPIRY);
    }

    @Test
    @DisplayName("Keepalives Across Two Leader Kills Keep the Lease Alive")
    void keepalivesAcrossTwoLeaderKillsKeepTheLeaseAlive(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease lease = api.grant(2);
        String key = Names.of(cluster, "failover");
        api.put(key, "?lease=" + lease.id(), "survives", "PUT /kv/{key}?lease=ID must answer 200.");
        long lastAck;
        try (KeepAlive keepAlive = new KeepAlive(cluster, lease.id(), Duration.ofMillis(300))) {
            Leader first = RaftView.awaitLeader(cluster);
            Node stalled = cluster.randomOther(first.node());
            stalled.pause();
            cluster.kill(first.node());
            cluster.hold(
                    Duration.ofMillis(2500),
                    "a failover longer than the lease's TTL: no majority while a follower is paused");
            stalled.resume();
            RaftView.awaitNewLeader(cluster, first);
            cluster.start(first.node());
            Leader second = RaftView.awaitLeader(cluster);
            cluster.kill(second.node());
            RaftView.awaitNewLeader(cluster, second);
            cluster.start(second.node());
            LockApi.onLeader(cluster)
                    .expectValue(
                            key,
                            "survives",
                            "A lease kept alive every 0.3 s must outlive two leader kills (the first with no "
                                    + "majority for 2.5 s), with its keys.",
                            "A new leader cannot know when its predecessor last acknowledged a keepalive: extend "
                                    + "every lease by a grace period (1 s) before expiring anything.",
                            "Keep lease deadlines in the replicated state, from the stamps of grant and keepalive "
                                    + "entries.");
            if (keepAlive.refusal() != null) {
                throw Failure.of("keepalives of lease " + lease.id() + " every 0.3 s across two leader kills")
                        .expected("200, or no answer while no leader is elected")
                        .found(keepAlive.refusal().toString())
                        .hint(
                                "The lease expired during a failover although its keepalives never stopped.",
                                "A new leader must extend every lease by a 1 s grace before expiring any.",
                                "Expire nothing until the grace entry of the new term is applied.")
                        .error();
            }
            lastAck = keepAlive.lastAckInvoked();
        }
        LockApi.onLeader(cluster)
                .expectLeaseGoneWithin(
                        LockApi.until(lastAck + Duration.ofSeconds(2 * 2 + 3).toNanos()),
                        lease.id(),
                        "Once the keepalives stop, the lease must still expire after the failovers.",
                        LEASE_EXPIRY);
    }

    @Test
    @DisplayName("A Leader Cut Off From the Majority Stops Acknowledging Keepalives Within 1 s")
    void aLeaderCutOffFromTheMajorityStopsAcknowledgingKeepalivesWithin1s(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        LockApi api = new LockApi(cluster, leader.node());
        Lease lease = api.grant(5);
        List<Node> majority = cluster.othersThan(leader.node());
        cluster.partitionNow(List.of(leader.node()), majority);
        long cut = System.nanoTime();
        cluster.hold(
                Duration.ofNanos(cut + Duration.ofSeconds(1).toNanos() - System.nanoTime()),
                "the 1 s a cut-off leader may still acknowledge");
        cluster.post(node(leader.node()), "/leases/" + lease.id() + "/keepalive", "")
                .status(Matchers.not(200))
                .consistently(Duration.ofSeconds(2))
                .hint(
                        "A leader cut off from the majority still acknowledged a keepalive more than 1 s later: "
                                + "its lease answers can no longer be trusted.",
                        "Answer a keepalive only after a majority confirmed this node still leads (a committed "
                                + "entry, or a heartbeat round after the request arrived).",
                        "Step down after 500 ms without hearing from a majority.")
                .check();
        Leader next = RaftView.awaitNewLeader(cluster, leader);
        new LockApi(cluster, next.node())
                .keepalive(
                        lease.id(),
                        "The majority's new leader must still know the lease (granted 5 s ago at most) and accept "
                                + "its keepalive.",
                        "Keep leases in the replicated state; a new leader extends them by a 1 s grace.");
        cluster.heal();
    }

    @Test
    @DisplayName("Leases Survive a Full Restart and Expired Ones Still Expire")
    void leasesSurviveAFullRestartAndExpiredOnesStillExpire(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        Lease lasting = api.grant(20);
        Lease brief = api.grant(2);
        String kept = Names.of(cluster, "lasting");
        String dropped = Names.of(cluster, "brief");
        api.put(kept, "?lease=" + lasting.id(), "kept", "PUT /kv/{key}?lease=ID must answer 200.");
        api.put(dropped, "?lease=" + brief.id(), "dropped", "PUT /kv/{key}?lease=ID must answer 200.");
        cluster.kill(cluster.nodes().toArray(Node[]::new));
        cluster.start(cluster.nodes().toArray(Node[]::new));
        long started = System.nanoTime();
        LockApi restarted = LockApi.onLeader(cluster);
        restarted.keepalive(
                lasting.id(),
                "A lease with ttl 20, granted before a full SIGKILL restart, must still be alive after it.",
                "Leases are replicated state: rebuild them by replaying the log.");
        restarted.expectValue(kept, "kept", "The keys of a live lease must survive a full restart.");
        restarted.expectLeaseGoneWithin(
                LockApi.until(started + Duration.ofSeconds(2 * 2 + 3).toNanos()),
                brief.id(),
                "A lease with ttl 2 whose keepalives stopped must still expire after a full restart.",
                "The leader elected after the restart must run the expiry timer too.",
                "Replay each lease's deadline from its entry stamps, never from the clock at replay.");
        restarted.expectGone(dropped, "The keys of a lease that expired must be gone with it.");
    }
}
