package io.clstr.queue;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.history.History;
import io.clstr.junit.queue.QueueChecks;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 2: a received message is in flight for its visibility timeout and comes back, with a new
 * receipt and a higher receive-count, when nobody deletes it in time.
 */
@ClstrCluster(nodes = 1, requestTimeoutMillis = 1000)
@Stage(key = "visibility-timeout", title = "In-Flight Messages Come Back")
public class VisibilityTimeout {

    /** The late allowance with a stable leader (spec/queue.md). */
    static final Duration LATE = Duration.ofMillis(1500);

    @Test
    @DisplayName("Messages Are Not Redelivered Early and Come Back in Time")
    void messagesAreNotRedeliveredEarlyAndComeBackInTime(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "timeout");
        api.send(queue, "comes back", "POST /queues/{q}/messages must answer 200.");
        long invoked = System.nanoTime();
        Delivery first = QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(2), "POST /queues/{q}/receive?visibility=2 must answer 200."),
                "comes back",
                queue);
        Delivery back = Redelivery.hiddenThenBack(
                api, queue, "comes back", invoked, Duration.ofSeconds(2), LATE, Duration.ofSeconds(30));
        if (back.receiveCount() != 2 || back.id() != first.id()) {
            throw Failure.of("the second delivery of \"comes back\"")
                    .expected("the same id (" + first.id() + ") with receive-count 2")
                    .found("id " + back.id() + ", receive-count " + back.receiveCount())
                    .hint(
                            "Each delivery of a message counts: the second has receive-count 2.",
                            "Count deliveries per message, and keep the message's id when it comes back.")
                    .error();
        }
    }

    @Test
    @DisplayName("An Old Receipt Cannot Delete a Redelivered Message")
    void anOldReceiptCannotDeleteARedeliveredMessage(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "receipts");
        api.send(queue, "redelivered", "POST /queues/{q}/messages must answer 200.");
        long invoked = System.nanoTime();
        Delivery first = QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(1), "POST /queues/{q}/receive?visibility=1 must answer 200."),
                "redelivered",
                queue);
        Delivery second = Redelivery.hiddenThenBack(
                api, queue, "redelivered", invoked, Duration.ofSeconds(1), LATE, Duration.ofSeconds(30));
        String[] stale = {
            "The receipt of a delivery that expired must not delete the message: answer 409 \"receipt handle "
                    + "expired\".",
            "Each delivery needs its own receipt (a message id is not enough).",
            "Accept only the receipt of the current delivery, and only before its deadline."
        };
        api.deleteRefused(queue, first.receipt(), 409, "receipt handle expired", stale);
        api.expectCounts(
                queue,
                0,
                1,
                "The refused delete must leave the message in flight under its new receipt: "
                        + "{\"visible\": 0, \"in-flight\": 1}.");
        api.delete(queue, second.receipt(), "The receipt of the current delivery must delete the message: 200.");
        api.delete(queue, second.receipt(), "Repeating a delete that succeeded, with the same receipt, answers 200.");
        api.deleteRefused(queue, first.receipt(), 409, "receipt handle expired", stale);
    }

    @Test
    @DisplayName("Visibility Can Be Extended and Zeroed")
    void visibilityCanBeExtendedAndZeroed(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "extend");
        api.send(queue, "extended", "POST /queues/{q}/messages must answer 200.");
        Delivery first = QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(1), "POST /queues/{q}/receive?visibility=1 must answer 200."),
                "extended",
                queue);
        long extended = System.nanoTime();
        api.changeVisibility(
                queue,
                first.receipt(),
                3,
                "PUT /queues/{q}/messages/{receipt}/visibility with body 3 must answer 200 while the delivery is in "
                        + "flight.");
        Delivery second = Redelivery.hiddenThenBack(
                api, queue, "extended", extended, Duration.ofSeconds(3), LATE, Duration.ofSeconds(30));
        api.changeVisibility(
                queue,
                second.receipt(),
                0,
                "PUT .../visibility with body 0 must answer 200: it makes the message visible at once.");
        List<Delivery> again =
                api.receive(queue, 1, Duration.ofSeconds(30), "POST /queues/{q}/receive must answer 200.");
        if (again.size() != 1 || !again.get(0).body().equals("extended")) {
            throw Failure.of("POST /queues/" + queue + "/receive right after setting the visibility to 0")
                    .expected("[\"extended\"]: visibility 0 makes it visible at once")
                    .found(again.toString())
                    .hint("A visibility of 0 ends the delivery now.", "Set the deadline to now, or mark it visible.")
                    .error();
        }
        String path = "/queues/" + queue + "/messages/" + again.get(0).receipt() + "/visibility";
        for (String bad : List.of("-1", "301", "soon")) {
            cluster.put(node(n1), path, bad)
                    .status(400)
                    .body("invalid visibility timeout")
                    .hint("A visibility must be a whole number of seconds from 0 to 300: answer 400 \"invalid "
                            + "visibility timeout\" for " + bad + ".")
                    .check();
        }
        cluster.put(node(n1), "/queues/" + queue + "/messages/" + first.receipt() + "/visibility", "10")
                .status(409)
                .body("receipt handle expired")
                .hint("The receipt of an expired delivery cannot change the visibility: answer 409 \"receipt handle "
                        + "expired\".")
                .check();
        cluster.put(
                        node(n1),
                        "/queues/" + queue + "/messages/never-issued-" + Names.token(cluster) + "/visibility",
                        "10")
                .status(404)
                .body("receipt not found")
                .hint("A receipt never issued: answer 404 \"receipt not found\".")
                .check();
    }

    @Test
    @DisplayName("An Expired Message Keeps Its Place in Order")
    void anExpiredMessageKeepsItsPlaceInOrder(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "place");
        for (String body : List.of("a", "b", "c")) {
            api.send(queue, body, "POST /queues/{q}/messages must answer 200.");
        }
        QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(1), "POST /queues/{q}/receive?visibility=1 must answer 200."),
                "a",
                queue);
        QueueApi.only(
                api.receive(
                        queue, 1, Duration.ofSeconds(30), "POST /queues/{q}/receive?visibility=30 must answer 200."),
                "b",
                queue);
        api.expectCountsWithin(
                Duration.ofSeconds(1).plus(LATE),
                queue,
                2,
                1,
                "When \"a\"'s 1 s visibility runs out, GET /queues/{q} must count it visible again: "
                        + "{\"visible\": 2, \"in-flight\": 1}.",
                "Expired messages must become visible (check deadlines on reads too, or run a timer).");
        List<Delivery> got =
                api.receive(queue, 10, Duration.ofSeconds(30), "POST /queues/{q}/receive must answer 200.");
        if (!Names.bodies(got).equals(List.of("a", "c"))) {
            throw Failure.of("POST /queues/" + queue + "/receive?max=10 after \"a\" expired")
                    .expected("[a, c]: an expired message returns to its place, ahead of newer ones")
                    .found(Names.bodies(got).toString())
                    .hint(
                            "An expired message keeps its place in the queue.",
                            "Do not move it to the back when its visibility runs out: order visible messages by id.")
                    .error();
        }
    }

    @Test
    @DisplayName("Concurrent Consumers Keep Delivery Exclusive")
    void concurrentConsumersKeepDeliveryExclusive(Cluster cluster, Node n1) {
        String queue = Names.queue(cluster, "exclusive");
        History<QueueInput, QueueOutput> history = cluster.history();
        try (Workload workload = new Workload(cluster, history, queue, 4, 4, Duration.ofSeconds(2), 0.5)) {
            workload.awaitMoreSent(80, Duration.ofSeconds(20));
            workload.stopProducers();
            workload.awaitAllDeleted(Duration.ofSeconds(20));
            workload.close();
            workload.drain(Duration.ofSeconds(20));
        }
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce(),
                "With consumers that leave half their messages to expire, every message must be delivered, to one "
                        + "consumer at a time, and stay deleted once deleted.",
                "A message delivered while another consumer's receipt was valid: hide it with its deadline in the "
                        + "same step that delivers it.",
                "A message lost: an expired delivery must make the message visible again.",
                "A deleted message that came back: accept only the current delivery's receipt.");
    }
}
