package io.clstr.lock;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 1: keys expire. {@code PUT /kv/{key}?ttl=N} keeps a key for N seconds; expiry is an entry
 * the leader proposes, stamped with the leader's time, so every replica deletes the key at the same
 * point of the log, a new leader carries on, and a restart does not bring a key back.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000)
@Stage(key = "key-ttl", title = "Keys Expire")
public class KeyTtl {

    /** How long a key may outlive its TTL on a stable leader. */
    static final Duration STABLE_SLACK = Duration.ofMillis(1500);

    /** The margin kept before a deadline when a check says "still there": a poll's own time. */
    static final Duration MARGIN = Duration.ofMillis(300);

    static final String[] EXPIRY_CAUSES = {
        "Have the leader look for passed deadlines (every 100 ms is plenty) and propose an expiry entry.",
        "Store the deadline as the put's entry stamp + ttl, so that every replica computes the same one."
    };

    @Test
    @DisplayName("Keys Are Present Before Their TTL and Gone After")
    void keysArePresentBeforeTheirTtlAndGoneAfter(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String key = Names.of(cluster, "ttl");
        for (String ttl : List.of("0", "-1", "abc", "1.5", "3601", "")) {
            api.httpPut("/kv/" + key + "?ttl=" + ttl, "refused")
                    .status(400)
                    .body("invalid ttl")
                    .hint(
                            "A ttl must be a whole number of seconds from 1 to 3600; anything else is 400 invalid ttl.",
                            "Parse ?ttl= strictly: no fractions, no signs, no empty value.")
                    .check();
        }
        String kept = Names.of(cluster, "kept");
        api.put(kept, "", "no ttl", "PUT /kv/{key} without a ttl must answer 200.");
        long invoked = System.nanoTime();
        api.put(key, "?ttl=2", "short-lived", "PUT /kv/{key}?ttl=2 must answer 200 like any PUT.");
        long acknowledged = System.nanoTime();
        api.expectValueThroughout(
                LockApi.until(invoked + Duration.ofSeconds(2).minus(MARGIN).toNanos()),
                key,
                "short-lived",
                "A key with ttl=2 must be readable until its 2 s have passed.",
                "Count the TTL from the put's entry stamp, in seconds (not milliseconds).",
                "Expire only once the deadline has passed, never before.");
        api.expectGoneWithin(
                LockApi.until(
                        acknowledged + Duration.ofSeconds(2).plus(STABLE_SLACK).toNanos()),
                key,
                "A key with ttl=2 must answer 404 key not found within 3.5 s of its PUT's answer.",
                EXPIRY_CAUSES);
        api.expectValue(kept, "no ttl", "A key put without a ttl never expires.");
    }

    @Test
    @DisplayName("Overwrite Cancels or Resets Expiry")
    void overwriteCancelsOrResetsExpiry(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String cancelled = Names.of(cluster, "cancelled");
        String reset = Names.of(cluster, "reset");
        api.put(cancelled, "?ttl=2", "first", "PUT /kv/{key}?ttl=2 must answer 200.");
        api.put(cancelled, "", "second", "PUT /kv/{key} must answer 200.");
        long cancelledAt = System.nanoTime();
        api.put(reset, "?ttl=2", "first", "PUT /kv/{key}?ttl=2 must answer 200.");
        long invoked = System.nanoTime();
        api.put(reset, "?ttl=4", "second", "PUT /kv/{key}?ttl=4 must answer 200.");
        long acknowledged = System.nanoTime();
        api.expectValueThroughout(
                LockApi.until(invoked + Duration.ofSeconds(4).minus(MARGIN).toNanos()),
                reset,
                "second",
                "A key put with ttl=2, then again with ttl=4, must live 4 s from the second PUT.",
                "A PUT replaces the key's deadline: drop the old one (or ignore it when it fires).",
                "An expiry entry must check that the deadline it expires is still the key's deadline.");
        api.expectValue(
                cancelled,
                "second",
                "A key put with ttl=2 and then without a ttl must never expire (read " + seconds(cancelledAt)
                        + " s after the second PUT).",
                "A PUT without ttl clears the key's ttl.",
                "An expiry entry must check that the key still has the deadline it expires.");
        api.expectGoneWithin(
                LockApi.until(
                        acknowledged + Duration.ofSeconds(4).plus(STABLE_SLACK).toNanos()),
                reset,
                "The key put again with ttl=4 must expire within 5.5 s of that PUT's answer.",
                EXPIRY_CAUSES);
    }

    @Test
    @DisplayName("Expiry Still Happens After a Leader Kill")
    void expiryStillHappensAfterALeaderKill(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        LockApi api = new LockApi(cluster, leader.node());
        String key = Names.of(cluster, "failover");
        api.put(key, "?ttl=2", "expires anyway", "PUT /kv/{key}?ttl=2 must answer 200.");
        long acknowledged = System.nanoTime();
        cluster.kill(leader.node());
        LockApi next =
                new LockApi(cluster, RaftView.awaitNewLeader(cluster, leader).node());
        next.expectGoneWithin(
                LockApi.until(acknowledged + Duration.ofSeconds(2 * 2 + 3).toNanos()),
                key,
                "A key with ttl=2 must expire within 7 s (2 x ttl + 3 s) of its PUT even when the leader that "
                        + "took it was killed.",
                "Keep deadlines in the replicated state (from the put's entry), not in the leader's memory.",
                "Run the expiry timer on whichever node leads now, starting when it becomes leader.");
        cluster.start(leader.node());
    }

    @Test
    @DisplayName("Followers Do Not Expire Keys on Their Own Timers")
    void followersDoNotExpireKeysOnTheirOwnTimers(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        LockApi api = new LockApi(cluster, leader.node());
        String key = Names.of(cluster, "replicas");
        api.put(key, "?ttl=2", "expires by entry", "PUT /kv/{key}?ttl=2 must answer 200.");
        long acknowledged = System.nanoTime();
        long putIndex = LockApi.commitIndex(cluster, leader.node());
        api.expectGoneWithin(
                LockApi.until(
                        acknowledged + Duration.ofSeconds(2).plus(STABLE_SLACK).toNanos()),
                key,
                "A key with ttl=2 must answer 404 key not found within 3.5 s of its PUT's answer.",
                EXPIRY_CAUSES);
        for (Node node : cluster.nodes()) {
            cluster.get(node(node), "/log")
                    .status(200)
                    .json("commit-index", JsonMatchers.above(putIndex))
                    .eventually(Duration.ofSeconds(1))
                    .hint(
                            "The key expired, but no entry after the put (index " + putIndex + ") was committed on "
                                    + node.name() + ": expiry happened outside the log.",
                            "Expiry is an entry the leader proposes; followers run no state-changing timers.",
                            "A timer on each node deletes at a different point of the log on each replica: they "
                                    + "diverge, and a lagging follower that becomes leader serves the key again.")
                    .check();
        }
    }

    @Test
    @DisplayName("A Key Whose TTL Passed While the Cluster Was Down Stays Gone")
    void aKeyWhoseTtlPassedWhileTheClusterWasDownStaysGone(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String key = Names.of(cluster, "down");
        String kept = Names.of(cluster, "kept");
        api.put(kept, "", "stays", "PUT /kv/{key} must answer 200.");
        api.put(key, "?ttl=2", "gone while down", "PUT /kv/{key}?ttl=2 must answer 200.");
        long invoked = System.nanoTime();
        cluster.kill(cluster.nodes().toArray(Node[]::new));
        cluster.hold(
                Duration.ofNanos(invoked + Duration.ofSeconds(3).toNanos() - System.nanoTime()),
                "the key's TTL to pass while every node is down");
        cluster.start(cluster.nodes().toArray(Node[]::new));
        LockApi restarted = LockApi.onLeader(cluster);
        restarted.expectValue(kept, "stays", "A key without ttl must survive a full restart.");
        restarted.expectGoneThroughout(
                Duration.ofSeconds(2),
                key,
                "A key whose TTL passed while the whole cluster was down must stay gone after the restart.",
                "Replay the log with each entry's stamp, never the clock at replay: the deadline stays in the past.",
                "Until the leader's expiry entry is applied, answer a read of a key whose deadline passed by the "
                        + "leader's clock with 404.");
    }

    private static String seconds(long since) {
        return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - since) / 1e9);
    }
}
