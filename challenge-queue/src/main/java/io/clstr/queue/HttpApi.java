package io.clstr.queue;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.queue.QueueChecks;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Stage 1: one node keeps queues in memory and sends, receives and deletes messages over HTTP. */
@ClstrCluster(nodes = 1, requestTimeoutMillis = 1000)
@Stage(key = "http-api", title = "Send, Receive, Delete")
public class HttpApi {

    @Test
    @DisplayName("Ids Increase and Empty Inputs Are Rejected")
    void idsIncreaseAndEmptyInputsAreRejected(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "ids");
        long last = 0;
        for (int i = 1; i <= 5; i++) {
            long id = api.send(
                    queue,
                    "message " + i,
                    "POST /queues/{q}/messages must store the body and answer 200 with {\"id\": n}.",
                    "n is a whole number.");
            if (id <= last) {
                throw Failure.of("POST /queues/" + queue + "/messages five times on n1")
                        .expected("ids that increase with every send")
                        .found("send " + i + " got id " + id + " after id " + last)
                        .hint("Ids must increase per queue.", "Keep a counter per queue and add one for each send.")
                        .error();
            }
            last = id;
        }
        cluster.post(node(n1), "/queues//messages", "no queue")
                .status(400)
                .body("queue cannot be empty")
                .hint(
                        "POST /queues//messages names no queue: answer 400 \"queue cannot be empty\".",
                        "Check that your router sends an empty queue name to the messages handler.")
                .check();
        cluster.post(node(n1), "/queues/" + queue + "/messages", "")
                .status(400)
                .body("message cannot be empty")
                .hint("A send with an empty body must be refused with 400 \"message cannot be empty\", not stored.")
                .check();
    }

    @Test
    @DisplayName("Messages Are Received in FIFO Order")
    void messagesAreReceivedInFifoOrder(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "fifo");
        List<String> bodies = List.of("first", "second", "third", "fourth", "fifth");
        List<Long> ids = new ArrayList<>();
        bodies.forEach(b -> ids.add(api.send(queue, b, "POST /queues/{q}/messages must answer 200 {\"id\": n}.")));
        for (int i = 0; i < bodies.size(); i++) {
            List<Delivery> got =
                    api.receive(queue, 1, "POST /queues/{q}/receive?max=1 must answer 200 with a JSON array.");
            Delivery expected = new Delivery(ids.get(i), bodies.get(i), "", 1);
            if (got.size() != 1
                    || got.get(0).id() != expected.id()
                    || !got.get(0).body().equals(expected.body())
                    || got.get(0).receiveCount() != 1) {
                throw Failure.of("POST /queues/" + queue + "/receive?max=1, receive " + (i + 1) + " of 5")
                        .expected("[" + expected + "]: the oldest visible message, delivered for the first time")
                        .found(got.toString())
                        .hint(
                                "A receive must return the oldest visible message first (first in, first out).",
                                "Keep messages in send order, for example in a list or a map sorted by id.",
                                "Return receive-count 1 on a message's first delivery.")
                        .error();
            }
            api.delete(queue, got.get(0).receipt(), "DELETE /queues/{q}/messages/{receipt} must answer 200.");
        }
        List<Delivery> empty = api.receive(queue, 1, "POST /queues/{q}/receive must answer 200.");
        if (!empty.isEmpty()) {
            throw Failure.of("POST /queues/" + queue + "/receive after every message was deleted")
                    .expected("[]")
                    .found(empty.toString())
                    .hint("An empty queue answers 200 with [], and a deleted message is gone for good.")
                    .error();
        }
    }

    @Test
    @DisplayName("A Received Message Is Hidden")
    void aReceivedMessageIsHidden(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "hidden");
        api.send(queue, "a", "POST /queues/{q}/messages must answer 200.");
        api.send(queue, "b", "POST /queues/{q}/messages must answer 200.");
        List<Delivery> first = api.receive(queue, 1, "POST /queues/{q}/receive must answer 200.");
        List<Delivery> second = api.receive(queue, 1, "POST /queues/{q}/receive must answer 200.");
        List<Delivery> third = api.receive(queue, 1, "POST /queues/{q}/receive must answer 200.");
        if (first.size() != 1
                || second.size() != 1
                || !first.get(0).body().equals("a")
                || !second.get(0).body().equals("b")
                || !third.isEmpty()) {
            throw Failure.of("three receives (max=1) on a queue holding \"a\" and \"b\"")
                    .expected("[\"a\"], then [\"b\"], then []")
                    .found(first + ", then " + second + ", then " + third)
                    .hint(
                            "A received message is in flight: hidden from every receive until it is deleted or its "
                                    + "visibility timeout (default 5 s) runs out.",
                            "Mark the message in flight with its deadline when you deliver it.",
                            "Skip in-flight messages when you look for the oldest visible one.")
                    .error();
        }
        api.expectCounts(
                queue,
                0,
                2,
                "GET /queues/{q} must count the two received messages as in flight and none as visible: "
                        + "{\"visible\": 0, \"in-flight\": 2}.");
        api.delete(queue, first.get(0).receipt(), "DELETE /queues/{q}/messages/{receipt} must answer 200.");
        api.expectCounts(
                queue,
                0,
                1,
                "After one of the two in-flight messages is deleted, GET /queues/{q} must count 1 in flight.");
    }

    @Test
    @DisplayName("DELETE Is Idempotent and Unknown Receipts Return 404")
    void deleteIsIdempotentAndUnknownReceiptsReturn404(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "delete");
        api.send(queue, "to delete", "POST /queues/{q}/messages must answer 200.");
        List<Delivery> got = api.receive(queue, 1, "POST /queues/{q}/receive must answer 200.");
        String receipt = QueueApi.only(got, "to delete", queue).receipt();
        api.delete(queue, receipt, "DELETE /queues/{q}/messages/{receipt} with a fresh receipt must answer 200.");
        api.delete(
                queue,
                receipt,
                "Repeating a delete that succeeded, with the same receipt, must answer 200 again: a client that lost "
                        + "the first answer retries.",
                "Remember the receipts that deleted their message.");
        api.expectCounts(queue, 0, 0, "A deleted message is gone: GET /queues/{q} must count nothing.");
        api.deleteRefused(
                queue,
                "never-issued-" + Names.token(cluster),
                404,
                "receipt not found",
                "A delete with a receipt this queue never issued must answer 404 \"receipt not found\".",
                "Look the receipt up among those you issued; do not answer 200 for anything.");
    }

    @Test
    @DisplayName("Batch Receive Returns the 10 Oldest")
    void batchReceiveReturnsTheTenOldest(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String queue = Names.queue(cluster, "batch");
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            bodies.add("m" + i);
            api.send(queue, "m" + i, "POST /queues/{q}/messages must answer 200.");
        }
        List<Delivery> ten = api.receive(queue, 10, "POST /queues/{q}/receive?max=10 must answer 200.");
        List<Delivery> rest = api.receive(queue, 10, "POST /queues/{q}/receive?max=10 must answer 200.");
        if (!Names.bodies(ten).equals(bodies.subList(0, 10))
                || !Names.bodies(rest).equals(bodies.subList(10, 15))) {
            throw Failure.of("two receives with max=10 on a queue of 15 messages m1..m15")
                    .expected("m1..m10 in order, then m11..m15")
                    .found(Names.bodies(ten) + ", then " + Names.bodies(rest))
                    .hint(
                            "A receive with max=N returns up to N visible messages, oldest first.",
                            "Collect messages in send order until you have N.",
                            "Hide each one you return.")
                    .error();
        }
        for (String max : List.of("0", "11", "ten")) {
            cluster.post(node(n1), "/queues/" + queue + "/receive?max=" + max, "")
                    .status(400)
                    .body("invalid max")
                    .hint("max must be a whole number from 1 to 10: answer 400 \"invalid max\" for max=" + max + ".")
                    .check();
        }
    }

    @Test
    @DisplayName("Concurrent Producers and Consumers Deliver Every Message Exactly Once")
    void concurrentProducersAndConsumersDeliverEveryMessageExactlyOnce(Cluster cluster, Node n1) {
        String queue = Names.queue(cluster, "concurrent");
        History<QueueInput, QueueOutput> history = cluster.history();
        QueueClient client = new QueueClient(cluster, history);
        int producers = 20;
        int perProducer = 10;
        AtomicInteger producing = new AtomicInteger(producers);
        cluster.concurrently(producers + 10, i -> {
            if (i < producers) {
                for (int m = 1; m <= perProducer; m++) {
                    client.send(i, n1, queue, "p" + i + "-" + m);
                }
                producing.decrementAndGet();
                return;
            }
            // a consumer: receive and delete until the producers are done and the queue is empty
            Poll.every(Duration.ofMillis(10))
                    .eventually(
                            Duration.ofSeconds(30),
                            () -> {
                                boolean done = producing.get() == 0;
                                Entry<QueueInput, QueueOutput> received =
                                        client.receive(i, n1, queue, 5, Duration.ofSeconds(5));
                                List<Delivery> delivered = QueueClient.delivered(received);
                                delivered.forEach(d -> client.delete(i, n1, queue, d.receipt()));
                                return done
                                        && received.completion() == Completion.OK
                                        && delivered.isEmpty()
                                        && QueueClient.empty(cluster, n1, queue);
                            },
                            finished -> finished);
        });
        Map<Long, String> ids = new HashMap<>();
        for (Entry<QueueInput, QueueOutput> e : history.entries()) {
            if (e.output() instanceof QueueOutput.Sent sent) {
                String body = ((QueueInput.Send) e.input()).body();
                String other = ids.putIfAbsent(sent.id(), body);
                if (other != null) {
                    throw Failure.of(producers + " producers sending " + perProducer + " messages each to n1")
                            .expected("a different id for every message")
                            .found("\"" + other + "\" and \"" + body + "\" both got id " + sent.id())
                            .hint(
                                    "Two concurrent sends got the same id.",
                                    "Take the next id and store the message in one step, under one lock.")
                            .error();
                }
            }
        }
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce(),
                "With 20 producers and 10 consumers at once, every message must be delivered once: to one consumer, "
                        + "and gone once deleted.",
                "A message delivered twice was not hidden when first received: mark it in flight in the same step "
                        + "that picks it.",
                "A message never delivered was lost: guard the queue with a lock or use a concurrent structure.");
    }

    @Test
    @DisplayName("Queues Are Isolated and Other Methods Return 405")
    void queuesAreIsolatedAndOtherMethodsReturn405(Cluster cluster, Node n1) {
        QueueApi api = new QueueApi(cluster, n1);
        String left = Names.queue(cluster, "left");
        String right = Names.queue(cluster, "right");
        api.send(left, "for left", "POST /queues/{q}/messages must answer 200.");
        api.send(right, "for right", "POST /queues/{q}/messages must answer 200.");
        List<Delivery> fromRight = api.receive(right, 10, "POST /queues/{q}/receive must answer 200.");
        List<Delivery> fromLeft = api.receive(left, 10, "POST /queues/{q}/receive must answer 200.");
        if (!Names.bodies(fromRight).equals(List.of("for right"))
                || !Names.bodies(fromLeft).equals(List.of("for left"))) {
            throw Failure.of("one send to each of two queues, then a receive from each")
                    .expected("each queue delivers only its own message")
                    .found(right + ": " + Names.bodies(fromRight) + ", " + left + ": " + Names.bodies(fromLeft))
                    .hint("Each queue name has its own messages.", "Keep a map from queue name to its messages.")
                    .error();
        }
        api.deleteRefused(
                right,
                fromLeft.get(0).receipt(),
                404,
                "receipt not found",
                "A receipt of one queue means nothing in another: answer 404 \"receipt not found\".");
        for (String[] wrong : List.of(
                new String[] {"GET", "/queues/" + left + "/messages"},
                new String[] {"PUT", "/queues/" + left + "/receive"},
                new String[] {"POST", "/queues/" + left},
                new String[] {"GET", "/clear"})) {
            cluster.request(wrong[0], node(n1), wrong[1])
                    .status(405)
                    .body("method not allowed")
                    .hint(
                            wrong[0] + " " + wrong[1].replace(left, "{q}")
                                    + " is not part of the API: answer 405 \"method not allowed\".",
                            "Many routers answer 404 for an unregistered method: check the method yourself.")
                    .check();
        }
        cluster.delete(node(n1), "/clear")
                .status(200)
                .hint("DELETE /clear must empty every queue and answer 200.")
                .check();
        api.expectCounts(left, 0, 0, "After DELETE /clear every queue is empty, in-flight messages included.");
    }
}
