package io.clstr.queue;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.history.History;
import io.clstr.junit.queue.QueueChecks;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import io.clstr.junit.queue.QueueOutput.Delivery;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 6: a send with a {@code Dedup-Id} header that repeats one sent within 10 s of that first
 * send's commit creates nothing and answers the original id, even after the message was deleted.
 * The dedup table is replicated state: it survives failovers and a full SIGKILL.
 *
 * <p>Timing: "within the window" is judged from the times clstr sent and got answers (the first
 * send committed after it was called and before it answered), so no server timing can make a
 * correct repeat look late or a late one look early.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "deduplication", title = "Idempotent Sends")
public class Deduplication {

    private static final Duration WINDOW = Duration.ofSeconds(10);
    /** How close to the window's end the repeats stop, so that none straddles it. */
    private static final Duration MARGIN = Duration.ofMillis(500);

    private static final String SAME_ID = "Keep a table per queue, Dedup-Id to the id its first send got and that "
            + "entry's stamp, updated when the send is applied (on every node).";

    @Test
    @DisplayName("A Duplicate Send Returns the Same Id")
    void aDuplicateSendReturnsTheSameId(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "dedup");
        String dedup = "order-" + Names.token(cluster);
        String[] invalid = {
            "A Dedup-Id must be 1 to 128 letters, digits, '_' or '-': anything else is 400 invalid dedup id.",
            "Check the header before anything else, and log nothing for a refused send."
        };
        for (String bad : List.of("has space", "x".repeat(129), "dot.ted")) {
            api.sendRefused(queue, "Dedup-Id", bad, "invalid dedup id", invalid);
        }
        long first =
                api.sendWithDedupId(queue, "first", dedup, "POST /queues/{q}/messages with Dedup-Id must answer 200.");
        long again = api.sendWithDedupId(queue, "first, again", dedup, "A repeated Dedup-Id must answer 200 as well.");
        expectSameId(queue, dedup, first, again, "a repeat right after the first send");
        api.expectCounts(
                queue, 1, 0, "A repeat within the window must create nothing: one message in the queue.", SAME_ID);
    }

    @Test
    @DisplayName("A Resend After Delete Creates Nothing")
    void aResendAfterDeleteCreatesNothing(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "deleted");
        String dedup = "job-" + Names.token(cluster);
        long first =
                api.sendWithDedupId(queue, "once", dedup, "POST /queues/{q}/messages with Dedup-Id must answer 200.");
        Delivery d = QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(30), "POST /queues/{q}/receive must answer 200."),
                "once",
                queue);
        api.delete(queue, d.receipt(), "DELETE /queues/{q}/messages/{receipt} must answer 200.");
        long again = api.sendWithDedupId(queue, "once", dedup, "A repeated Dedup-Id must answer 200.");
        expectSameId(queue, dedup, first, again, "a repeat after the message was received and deleted");
        api.expectCounts(
                queue,
                0,
                0,
                "A repeat of a deleted message's Dedup-Id must not bring it back: the queue must stay empty.",
                "The dedup table is separate from the messages: deleting a message keeps its entry for the "
                        + "whole window.");
    }

    @Test
    @DisplayName("After the Window a Resend Gets a New Id")
    void afterTheWindowAResendGetsANewId(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "window");
        String dedup = "tick-" + Names.token(cluster);
        long called = System.nanoTime();
        long first =
                api.sendWithDedupId(queue, "tick", dedup, "POST /queues/{q}/messages with Dedup-Id must answer 200.");
        long answered = System.nanoTime();
        long certainlyInside = called + WINDOW.minus(MARGIN).toNanos();
        Poll.every(Duration.ofSeconds(1)).sample(Duration.ofNanos(certainlyInside - System.nanoTime()), () -> {
            long again = api.sendWithDedupId(queue, "tick", dedup, "A repeated Dedup-Id must answer 200.");
            if (System.nanoTime() < certainlyInside) {
                expectSameId(queue, dedup, first, again, "a repeat within 10 s of the first send");
            }
        });
        api.expectCountsThroughout(
                Duration.ofNanos(answered + WINDOW.plus(MARGIN).toNanos() - System.nanoTime()),
                queue,
                1,
                0,
                "Repeats within the window must create nothing: one message in the queue until the window ends.",
                SAME_ID);
        long later = api.sendWithDedupId(queue, "tick", dedup, "A Dedup-Id whose window has passed must answer 200.");
        if (later <= first) {
            throw Failure.of("POST /queues/" + queue + "/messages with Dedup-Id: " + dedup + " more than 10 s after "
                            + "the first send with it answered")
                    .expected("a new message: an id above " + first)
                    .found("id " + later)
                    .hint(
                            "A Dedup-Id counts for 10 s after its first send commits; after that a send with it is "
                                    + "a new message.",
                            "Measure the window with the entries' stamps: the repeat's stamp minus the first's.",
                            "Drop table entries older than the window.")
                    .error();
        }
        api.expectCounts(
                queue,
                2,
                0,
                "After the window the send must create a second message.",
                "Measure the window with the entries' stamps: the repeat's stamp minus the first's.");
    }

    @Test
    @DisplayName("20 Concurrent Sends With One Dedup Id Make One Message")
    void twentyConcurrentSendsWithOneDedupIdMakeOneMessage(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "concurrent");
        String dedup = "payment-" + Names.token(cluster);
        long[] ids = new long[20];
        cluster.concurrently(
                ids.length,
                i -> ids[i] = api.sendWithDedupId(
                        queue, "pay", dedup, "Each of 20 sends with one Dedup-Id at once must answer 200."));
        Set<Long> distinct = new HashSet<>();
        for (long id : ids) {
            distinct.add(id);
        }
        if (distinct.size() != 1) {
            throw Failure.of("20 POST /queues/" + queue + "/messages at once, all with Dedup-Id: " + dedup)
                    .expected("one id for all of them")
                    .found("ids " + distinct)
                    .hint(
                            "Sends with the same Dedup-Id that arrive together created several messages.",
                            "Check the table when the send is applied, in log order, not when the request "
                                    + "arrives: the first applied creates the message, the others find it.")
                    .error();
        }
        api.expectCounts(queue, 1, 0, "20 sends with one Dedup-Id must make one message.", SAME_ID);
    }

    @Test
    @DisplayName("Producers Retrying Through Two Leader Kills Deliver Every Dedup Id Exactly Once")
    void producersRetryingThroughTwoLeaderKillsDeliverEveryDedupIdExactlyOnce(Cluster cluster) {
        RaftView.awaitLeader(cluster);
        String queue = Names.queue(cluster, "retries");
        History<QueueInput, QueueOutput> history = cluster.history();
        QueueClient client = new QueueClient(cluster, history);
        try (Workload producers = Workload.retryingProducers(cluster, history, queue, 4)) {
            for (int kill = 1; kill <= 2; kill++) {
                producers.awaitMoreSent(20, Duration.ofSeconds(10));
                Leader leader = RaftView.awaitLeader(cluster);
                cluster.kill(leader.node());
                RaftView.awaitNewLeader(cluster, leader);
                producers.awaitMoreSent(20, Duration.ofSeconds(10));
                cluster.start(leader.node());
            }
            producers.close();
        }
        Workload.drain(cluster, client, 1000, queue, Duration.ofSeconds(5), Duration.ofSeconds(30));
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce().and(QueueChecks.oneMessagePerDedupId(WINDOW)),
                "A producer that repeated a send (same Dedup-Id) after a leader kill got a second message, or a "
                        + "message was lost.",
                SAME_ID,
                "The table is part of the replicated state: a new leader must know every Dedup-Id the old one "
                        + "committed.",
                "A send whose answer was lost may have committed: its repeat must find it.");
    }

    @Test
    @DisplayName("The Dedup Table Survives a Full SIGKILL")
    void theDedupTableSurvivesAFullSigkill(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "survivor");
        String dedup = "survivor-" + Names.token(cluster);
        long called = System.nanoTime();
        long first =
                api.sendWithDedupId(queue, "kept", dedup, "POST /queues/{q}/messages with Dedup-Id must answer 200.");
        Node[] everyone = cluster.members().toArray(Node[]::new);
        cluster.kill(everyone);
        cluster.start(everyone);
        QueueApi after = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        long again =
                after.sendWithDedupId(queue, "kept", dedup, "A repeated Dedup-Id must answer 200 after a restart.");
        if (System.nanoTime() - called >= WINDOW.toNanos()) {
            throw Failure.of("a repeat of Dedup-Id " + dedup + " after all three nodes were killed and started")
                    .expected("the cluster back, with a leader, within the 10 s window of the first send")
                    .found("the repeat was answered " + (System.nanoTime() - called) / 1_000_000 + " ms after the "
                            + "first send was called")
                    .hint(
                            "The nodes took too long to start and elect a leader to judge the dedup window.",
                            "Start answering /health within a second or two; replay the log quickly.")
                    .error();
        }
        expectSameId(queue, dedup, first, again, "a repeat after all three nodes were killed and started again");
        after.expectCounts(
                queue,
                1,
                0,
                "After a full SIGKILL a repeat within the window must still create nothing.",
                "The table is state: rebuild it from the log (the sends carry their Dedup-Id) or store it in "
                        + "snapshots.");
    }

    private static void expectSameId(String queue, String dedup, long first, long again, String when) {
        if (again != first) {
            throw Failure.of("POST /queues/" + queue + "/messages with Dedup-Id: " + dedup + ", " + when)
                    .expected("{\"id\": " + first + "}, the first send's id")
                    .found("{\"id\": " + again + "}")
                    .hint(
                            "A repeat of a Dedup-Id within 10 s of its first send must answer the original id and "
                                    + "create nothing.",
                            SAME_ID)
                    .error();
        }
    }
}
