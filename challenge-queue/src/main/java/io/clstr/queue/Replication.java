package io.clstr.queue;

import static io.clstr.junit.check.Select.allExcept;
import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.History;
import io.clstr.junit.network.Impairment;
import io.clstr.junit.queue.QueueChecks;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import io.clstr.junit.queue.QueueOutput.Delivery;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 4: three nodes keep one queue through Raft. Every change, a receive included, is a
 * committed log entry; the leader stamps entries with its time and proposes the expiries;
 * followers redirect and run no timers that change state.
 *
 * <p>Timing: leaders are awaited for 3 s (three of the longest election timeouts), a settle of 3 s
 * follows every fault of the chaos test, requests get 1 s. A message may come back up to 3 s after
 * its deadline when a failover happened in between (spec: "+3 s across a failover").
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "replication", title = "Replicated Queue")
public class Replication {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration LATE_ACROSS_FAILOVER = Duration.ofSeconds(3);

    private static final String REPLICATE =
            "Make every change a log entry and answer only once a majority (2 of 3) " + "stores it and it is applied.";

    @Test
    @DisplayName("Followers Redirect and a Node Without Quorum Answers 503")
    void followersRedirectAndANodeWithoutQuorumAnswers503(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        String queue = Names.queue(cluster, "redirect");
        String base = "http://" + leader.node().addr();
        String[] hint = {
            "A follower answers every /queues request and DELETE /clear with 307 and Location: "
                    + "http://<leader ADDR><the same path and query>, here " + base + "/....",
            "The leader's identity is its ADDR (the leader-id of its heartbeats), never a PEERS route.",
            "Do not forward the request yourself."
        };
        cluster.post(allExcept(leader.node()), "/queues/" + queue + "/messages", "redirected")
                .status(307)
                .header("Location", base + "/queues/" + queue + "/messages")
                .hint(hint[0], hint[1], hint[2])
                .check();
        cluster.post(allExcept(leader.node()), "/queues/" + queue + "/receive?max=2", "")
                .status(307)
                .header("Location", base + "/queues/" + queue + "/receive?max=2")
                .hint(hint[0], hint[1], hint[2])
                .check();
        cluster.get(allExcept(leader.node()), "/queues/" + queue)
                .status(307)
                .header("Location", base + "/queues/" + queue)
                .hint(hint[0], hint[1], hint[2])
                .check();

        Node[] followers = cluster.othersThan(leader.node()).toArray(Node[]::new);
        cluster.kill(followers);
        String[] quorum = {
            "A node that cannot reach a majority must not serve the queue: answer 503 once it knows no leader.",
            "A leader steps down when no majority has answered its heartbeats for an election timeout.",
            "A node that knows no leader answers 503, never 307 to a leader it lost."
        };
        cluster.get(node(leader.node()), "/queues/" + queue)
                .status(503)
                .eventually(RaftView.WINDOW)
                .hint(quorum[0], quorum[1], quorum[2])
                .check();
        cluster.post(node(leader.node()), "/queues/" + queue + "/messages", "no quorum")
                .status(503)
                .hint(quorum[0], quorum[1], quorum[2])
                .check();
        cluster.start(followers);
    }

    @Test
    @DisplayName("A Leader Killed During Sends Loses Nothing")
    void aLeaderKilledDuringSendsLosesNothing(Cluster cluster) {
        RaftView.awaitLeader(cluster);
        String queue = Names.queue(cluster, "failover-sends");
        History<QueueInput, QueueOutput> history = cluster.history();
        try (Workload workload = new Workload(cluster, history, queue, 4, 0, Duration.ofSeconds(2), 0)) {
            workload.awaitMoreSent(40, Duration.ofSeconds(10));
            Leader old = RaftView.awaitLeader(cluster);
            cluster.kill(old.node());
            RaftView.awaitNewLeader(cluster, old);
            workload.awaitMoreSent(40, Duration.ofSeconds(10));
            cluster.start(old.node());
            workload.close();
            workload.drain(LONG);
        }
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce(),
                "A send acknowledged before the leader was killed must be delivered after the failover.",
                REPLICATE,
                "The new leader has every committed entry; one answered before it committed may be lost.",
                "Give ids when the entry is applied, never when the request arrives, so that a new leader cannot "
                        + "give an id twice.");
    }

    @Test
    @DisplayName("In-Flight State and Deadlines Survive Failover")
    void inFlightStateAndDeadlinesSurviveFailover(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        QueueApi api = new QueueApi(cluster, old.node());
        String queue = Names.queue(cluster, "in-flight");
        String held = Names.queue(cluster, "held");
        api.send(queue, "expires", "The leader must accept sends as in stage 3.", REPLICATE);
        api.send(held, "deleted later", "The leader must accept sends as in stage 3.", REPLICATE);
        long invoked = System.nanoTime();
        QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(4), "POST /queues/{q}/receive?visibility=4 must answer 200."),
                "expires",
                queue);
        Delivery kept = QueueApi.only(
                api.receive(held, 1, LONG, "POST /queues/{q}/receive must answer 200."), "deleted later", held);

        cluster.kill(old.node());
        Leader next = RaftView.awaitNewLeader(cluster, old);
        QueueApi successor = new QueueApi(cluster, next.node());

        successor.delete(
                held,
                kept.receipt(),
                "A receipt the old leader gave must still delete its message on the new leader "
                        + next.node().name() + " before its deadline: 200.",
                "A receive is a state change: replicate it (with its receipt and deadline) before answering.",
                "Make receipts from the log entry, so that every node knows them.");
        Redelivery.hiddenThenBack(
                successor,
                queue,
                "expires",
                invoked,
                Duration.ofSeconds(4),
                LATE_ACROSS_FAILOVER,
                LONG,
                "The new leader must propose the expiry itself: deadlines are part of the replicated state, as "
                        + "absolute times stamped by the leader that proposed the receive.");
        cluster.start(old.node());
    }

    @Test
    @DisplayName("An Acknowledged Delete Survives Failover")
    void anAcknowledgedDeleteSurvivesFailover(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        QueueApi api = new QueueApi(cluster, old.node());
        String queue = Names.queue(cluster, "deletes");
        for (int i = 1; i <= 10; i++) {
            api.send(queue, "m" + i, "The leader must accept sends as in stage 3.", REPLICATE);
        }
        List<Delivery> all = api.receive(queue, 10, LONG, "POST /queues/{q}/receive must answer 200.");
        api.deleteAll(queue, all);

        cluster.kill(old.node());
        Leader next = RaftView.awaitNewLeader(cluster, old);
        new QueueApi(cluster, next.node())
                .expectCounts(
                        queue,
                        0,
                        0,
                        "Every delete the old leader answered 200 must hold on the new leader "
                                + next.node().name() + ": the queue must be empty.",
                        "A delete is a state change: replicate it before answering, like a send.",
                        "Applying it only on the leader, or answering before it commits, loses it in a failover.");
        cluster.start(old.node());
    }

    @Test
    @DisplayName("A Leader Cut Off From the Majority Never Hands Out a Message")
    void aLeaderCutOffFromTheMajorityNeverHandsOutAMessage(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        QueueApi api = new QueueApi(cluster, old.node());
        String queue = Names.queue(cluster, "cut-off");
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            bodies.add("m" + i);
            api.send(queue, "m" + i, "The leader must accept sends as in stage 3.", REPLICATE);
        }
        List<Node> majority = cluster.othersThan(old.node());
        cluster.partitionNow(List.of(old.node()), majority);
        Response[] answers = new Response[5];
        cluster.concurrently(
                answers.length,
                i -> answers[i] = cluster.send(
                        old.node(), Request.post("/queues/" + queue + "/receive?max=10&visibility=30", "")));
        for (Response answer : answers) {
            List<Delivery> handedOut = QueueClient.deliveries(answer).orElse(List.of());
            if (answer.status() == 200 && !handedOut.isEmpty()) {
                throw Failure.of("POST /queues/" + queue + "/receive?max=10 on "
                                + old.node().name()
                                + " (the leader, cut off alone from the majority as the partition began)")
                        .expected("anything but messages: a receive is an entry, and it cannot commit without a "
                                + "majority")
                        .found("200 " + Names.bodies(handedOut))
                        .hint(
                                "A leader cut off from the majority handed out messages it cannot have put in "
                                        + "flight.",
                                "Answer a receive only once its entry is committed; the majority may elect another "
                                        + "leader that hands the same messages out again.",
                                "If leadership is lost first, answer an error (500 or 503) or nothing.")
                        .error();
            }
        }
        Leader next = RaftView.awaitNewLeader(cluster, old);
        List<Delivery> got = new QueueApi(cluster, next.node())
                .receive(queue, 10, LONG, "POST /queues/{q}/receive must answer 200.");
        if (!Names.bodies(got).equals(bodies)) {
            throw Failure.of("POST /queues/" + queue + "/receive?max=10 on the new leader "
                            + next.node().name())
                    .expected(bodies + ": no receive on the cut-off leader committed")
                    .found(Names.bodies(got).toString())
                    .hint(
                            "Messages are missing on the majority's side although no receive of theirs committed.",
                            "A receive entry the old leader could not commit must leave no trace: do not change "
                                    + "state before an entry is applied.")
                    .error();
        }
        cluster.heal();
    }

    @Test
    @DisplayName("All Checkers Pass Under 20 s of Chaos")
    void allCheckersPassUnderChaos(Cluster cluster) {
        RaftView.awaitLeader(cluster);
        String queue = Names.queue(cluster, "chaos");
        History<QueueInput, QueueOutput> history = cluster.history();
        try (Workload workload = new Workload(cluster, history, queue, 4, 4, Duration.ofSeconds(2), 0.2)) {
            cluster.impair(cluster.members(), Impairment.latency(20, 10));
            for (int round = 1; round <= 3; round++) {
                Leader crashed = RaftView.awaitLeader(cluster);
                cluster.kill(crashed.node());
                cluster.settle();
                cluster.start(crashed.node());
                cluster.settle();
            }
            cluster.repair();
            workload.close();
            workload.drain(LONG);
        }
        Workload.expectEnoughDone(history, 100);
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce(),
                "Under leader crashes and latency a message was lost, delivered to two consumers at once, came back "
                        + "after its delete, or overtook an earlier one.",
                REPLICATE,
                "Receives, deletes, visibility changes and expiries are entries too: only the leader proposes "
                        + "them, and followers run no timer that changes state.",
                "Apply entries with the time the leader stamped on them, never the follower's clock.");
    }
}
