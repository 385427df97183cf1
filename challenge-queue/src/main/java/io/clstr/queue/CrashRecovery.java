package io.clstr.queue;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Node.Restart;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.history.History;
import io.clstr.junit.queue.QueueChecks;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 3: whatever the node acknowledged survives SIGKILL: sends, deliveries in flight with
 * their deadlines, deletes and the id counters. The node syncs before it answers and stores
 * deadlines as absolute times.
 */
@ClstrCluster(nodes = 1, requestTimeoutMillis = 1000)
@Stage(key = "crash-recovery", title = "Messages Survive SIGKILL")
public class CrashRecovery {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    @DisplayName("A Graceful Restart Keeps Messages, Order and In-Flight State")
    void aGracefulRestartKeepsMessagesOrderAndInFlightState(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "restart");
        String counters = Names.queue(cluster, "counter");
        for (String body : List.of("a", "b", "c", "d")) {
            api.send(queue, body, "POST /queues/{q}/messages must answer 200.");
        }
        Delivery a =
                QueueApi.only(api.receive(queue, 1, LONG, "POST /queues/{q}/receive must answer 200."), "a", queue);
        long x = api.send(counters, "x", "POST /queues/{q}/messages must answer 200.");
        long y = api.send(counters, "y", "POST /queues/{q}/messages must answer 200.");
        for (Delivery d : api.receive(counters, 10, LONG, "POST /queues/{q}/receive must answer 200.")) {
            api.delete(counters, d.receipt(), "DELETE /queues/{q}/messages/{receipt} must answer 200.");
        }

        n1.restart(Restart.STOP);

        api.expectCounts(
                queue,
                3,
                1,
                "After a graceful restart the queue must hold what it held: 3 visible messages and \"a\" in flight.",
                "Write every send, receive and delete to disk and replay them at start.",
                "A receive changes state too (the message goes in flight): store it.");
        List<Delivery> rest = api.receive(queue, 10, LONG, "POST /queues/{q}/receive must answer 200.");
        if (!Names.bodies(rest).equals(List.of("b", "c", "d"))) {
            throw Failure.of("POST /queues/" + queue + "/receive?max=10 after a graceful restart")
                    .expected("[b, c, d] in send order (\"a\" is still in flight)")
                    .found(Names.bodies(rest).toString())
                    .hint("A restart must keep the order of messages.", "Replay the log in the order it was written.")
                    .error();
        }
        api.delete(
                queue,
                a.receipt(),
                "A receipt issued before a graceful restart must still delete its message before its deadline: 200.",
                "Store receipts and deadlines with the delivery.");
        long z = api.send(counters, "z", "POST /queues/{q}/messages must answer 200.");
        if (z <= Math.max(x, y)) {
            throw Failure.of(
                            "a send to " + counters + " after a restart, when ids " + x + " and " + y + " were deleted")
                    .expected("an id above " + Math.max(x, y))
                    .found("id " + z)
                    .hint(
                            "Ids must never be given twice, even after the messages that had them are gone.",
                            "Store each queue's id counter (or replay every send) instead of taking the largest id "
                                    + "still in the queue.")
                    .error();
        }
    }

    @Test
    @DisplayName("Acknowledged Sends Survive SIGKILL")
    void acknowledgedSendsSurviveSigkill(Cluster cluster, Node n1) {
        String queue = Names.queue(cluster, "sends");
        History<QueueInput, QueueOutput> history = cluster.history();
        QueueClient client = new QueueClient(cluster, history);
        cluster.concurrently(100, i -> client.send(i, n1, queue, "sent-" + i));
        n1.kill();
        n1.start();
        Workload.drain(cluster, client, 1000, queue, Duration.ofSeconds(5), Duration.ofSeconds(30));
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce(),
                "Every send answered 200 before the SIGKILL must be there after it, once.",
                "Sync the log (fsync, FileChannel.force, os.fsync) before answering a send.",
                "With many sends at once, sync once for the whole batch (group commit) to stay fast.");
    }

    @Test
    @DisplayName("Receipts Survive SIGKILL Until Their Deadline")
    void receiptsSurviveSigkillUntilTheirDeadline(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "deadline");
        String held = Names.queue(cluster, "held");
        api.send(queue, "expires", "POST /queues/{q}/messages must answer 200.");
        api.send(held, "deleted later", "POST /queues/{q}/messages must answer 200.");
        long invoked = System.nanoTime();
        QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(4), "POST /queues/{q}/receive?visibility=4 must answer 200."),
                "expires",
                queue);
        Delivery kept = QueueApi.only(
                api.receive(held, 1, LONG, "POST /queues/{q}/receive must answer 200."), "deleted later", held);
        api.expectCountsThroughout(
                Duration.ofNanos(invoked + Duration.ofMillis(2500).toNanos() - System.nanoTime()),
                queue,
                0,
                1,
                "A message received with visibility=4 must stay in flight for 4 s: {\"visible\": 0, \"in-flight\": 1}.");

        n1.kill();
        n1.start();

        api.delete(
                held,
                kept.receipt(),
                "A receipt from before a SIGKILL must still delete its message before its deadline: 200.",
                "Sync receives before answering them, with their receipts and deadlines.");
        Redelivery.hiddenThenBack(api, queue, "expires", invoked, Duration.ofSeconds(4), VisibilityTimeout.LATE, LONG);
    }

    @Test
    @DisplayName("Acknowledged Deletes Survive SIGKILL")
    void acknowledgedDeletesSurviveSigkill(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "deletes");
        for (int i = 1; i <= 20; i++) {
            api.send(queue, "m" + i, "POST /queues/{q}/messages must answer 200.");
        }
        List<Delivery> all = new ArrayList<>(api.receive(queue, 10, LONG, "POST /queues/{q}/receive must answer 200."));
        all.addAll(api.receive(queue, 10, LONG, "POST /queues/{q}/receive must answer 200."));
        api.deleteAll(queue, all);

        n1.kill();
        n1.start();

        api.expectCounts(
                queue,
                0,
                0,
                "Every delete answered 200 before the SIGKILL must hold after it: the queue must be empty.",
                "Sync a delete to disk before answering it, like a send.",
                "A delete kept only in memory (or in a buffer flushed later) is lost by a crash.");
    }

    @Test
    @DisplayName("Repeated Crashes Under Load Lose Nothing")
    void repeatedCrashesUnderLoadLoseNothing(Cluster cluster, Node n1) {
        String queue = Names.queue(cluster, "crashes");
        History<QueueInput, QueueOutput> history = cluster.history();
        Duration visibility = Duration.ofSeconds(2);
        try (Workload workload = new Workload(cluster, history, queue, 3, 3, visibility, 0.3)) {
            for (int cycle = 1; cycle <= 5; cycle++) {
                workload.awaitMoreSent(30, Duration.ofSeconds(10));
                n1.kill();
                n1.start();
            }
            workload.awaitMoreSent(10, Duration.ofSeconds(10));
            workload.close();
            workload.drain(Duration.ofSeconds(30));
        }
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce(),
                "Across five SIGKILLs under load, every acknowledged send must be delivered, deletes must hold and "
                        + "deliveries must stay exclusive.",
                "Sync every state change (send, receive, delete) before answering it.",
                "On start, replay the whole log; cut a torn last record instead of failing.",
                "Store deadlines as absolute times, so that in-flight messages come back on time after a crash.");
    }
}
