package io.clstr.queue;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.queue.QueueOutput.Delivery;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 5: a queue can name a dead-letter queue and a limit; a message delivered that many times
 * whose visibility runs out moves there, in the same entry that expires it, as a new message
 * delivered zero times. Each message is in exactly one queue, also across a failover.
 *
 * <p>Timing: a message may move up to 1.5 s after its deadline with a stable leader, 3 s across a
 * failover (spec/queue.md).
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "dead-letter", title = "Poison Messages Move Aside")
public class DeadLetter {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration LATE_ACROSS_FAILOVER = Duration.ofSeconds(3);
    private static final String SAME_ENTRY = "Move the message in the entry that expires it: take it out of its queue "
            + "and send it to the dead-letter queue (a new id there, receive-count 0) in one apply.";

    @Test
    @DisplayName("A Message Moves to the Dead-Letter Queue After the Limit")
    void aMessageMovesToTheDeadLetterQueueAfterTheLimit(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "limit");
        String dlq = queue + "-dlq";
        String[] invalid = {
            "PUT /queues/{q}/config must refuse a config it cannot follow with 400 invalid config.",
            "max-receives is a whole number of at least 1 and comes with dead-letter-queue, which names another "
                    + "queue; visibility-timeout is 0-300 seconds."
        };
        api.configRefused(queue, QueueApi.config(2, queue, 5), invalid);
        api.configRefused(queue, QueueApi.config(0, dlq, 5), invalid);
        api.configRefused(queue, "max-receives=2", invalid);
        api.configure(
                queue,
                QueueApi.config(2, dlq, 5),
                "PUT /queues/{q}/config with max-receives, dead-letter-queue and visibility-timeout must answer 200.");
        api.expectConfig(
                queue,
                2,
                dlq,
                5,
                "GET /queues/{q}/config must answer 200 with the config last put: "
                        + "{\"max-receives\", \"dead-letter-queue\", \"visibility-timeout\"}.");

        api.send(queue, "poison", "POST /queues/{q}/messages must answer 200.");
        long invoked = System.nanoTime();
        QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(1), "POST /queues/{q}/receive must answer 200."),
                "poison",
                queue);
        Delivery second = Redelivery.hiddenThenBack(
                api, queue, "poison", invoked, Duration.ofSeconds(1), VisibilityTimeout.LATE, Duration.ofSeconds(1));
        expectCount(second, 2, queue);
        api.expectCountsWithin(
                Duration.ofSeconds(1).plus(VisibilityTimeout.LATE),
                dlq,
                1,
                0,
                "A message delivered max-receives (2) times whose visibility ran out must move to the dead-letter "
                        + "queue " + dlq + " within 1.5 s.",
                SAME_ENTRY,
                "Count deliveries per message (receive-count) and compare when the visibility runs out, not when "
                        + "it is received.");
        api.expectCounts(queue, 0, 0, "A message moved to the dead-letter queue must leave its queue.", SAME_ENTRY);
        Delivery moved = QueueApi.only(
                api.receive(dlq, 1, LONG, "POST /queues/{q}/receive on the dead-letter queue must answer 200."),
                "poison",
                dlq);
        expectCount(moved, 1, dlq);
    }

    @Test
    @DisplayName("A Message Deleted in Time Is Never Moved")
    void aMessageDeletedInTimeIsNeverMoved(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "in-time");
        String dlq = queue + "-dlq";
        api.configure(queue, QueueApi.config(1, dlq, 5), "PUT /queues/{q}/config must answer 200.");
        api.send(queue, "handled", "POST /queues/{q}/messages must answer 200.");
        long invoked = System.nanoTime();
        Delivery d = QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(2), "POST /queues/{q}/receive must answer 200."),
                "handled",
                queue);
        api.delete(
                queue,
                d.receipt(),
                "A delete within the visibility timeout must answer 200, also for a message at its limit.");
        Duration untilLate = Duration.ofNanos(invoked - System.nanoTime())
                .plus(Duration.ofSeconds(2))
                .plus(VisibilityTimeout.LATE);
        api.expectCountsThroughout(
                untilLate,
                dlq,
                0,
                0,
                "A message deleted before its visibility ran out must never reach the dead-letter queue, even at "
                        + "its limit.",
                "Decide the move when the visibility runs out, for a message still in flight; a delete ends the "
                        + "delivery and cancels everything that would follow it.");
        api.expectCounts(queue, 0, 0, "A deleted message must stay deleted.");
    }

    @Test
    @DisplayName("50 Poison Messages and a Leader Kill: Each Is in Exactly One Queue")
    void fiftyPoisonMessagesAndALeaderKillEachIsInExactlyOneQueue(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        QueueApi api = new QueueApi(cluster, old.node());
        String queue = Names.queue(cluster, "poison");
        String dlq = queue + "-dlq";
        api.configure(queue, QueueApi.config(1, dlq, 5), "PUT /queues/{q}/config must answer 200.");
        Set<String> bodies = new HashSet<>();
        for (int i = 1; i <= 50; i++) {
            bodies.add("poison-" + i);
        }
        List<String> ordered = List.copyOf(bodies);
        cluster.concurrently(
                ordered.size(), i -> api.send(queue, ordered.get(i), "POST /queues/{q}/messages must answer 200."));
        int received = 0;
        for (int round = 0; round < 5; round++) {
            received += api.receive(queue, 10, Duration.ofSeconds(2), "POST /queues/{q}/receive must answer 200.")
                    .size();
        }
        if (received != 50) {
            throw Failure.of("five receives of 10 from " + queue + " (hidden 2 s)")
                    .expected("the 50 messages sent")
                    .found(received + " messages")
                    .hint("Receives must deliver every visible message, oldest first, up to max.")
                    .error();
        }
        cluster.get(node(old.node()), "/queues/" + dlq)
                .status(200)
                .json("visible", JsonMatchers.atLeast(1))
                .eventually(Duration.ofSeconds(2).plus(VisibilityTimeout.LATE))
                .hint(
                        "Messages at their limit (max-receives 1) whose visibility ran out must move to " + dlq + ".",
                        SAME_ENTRY)
                .check();
        cluster.kill(old.node());
        QueueApi successor =
                new QueueApi(cluster, RaftView.awaitNewLeader(cluster, old).node());

        successor.expectCountsWithin(
                LATE_ACROSS_FAILOVER,
                queue,
                0,
                0,
                "Every message of " + queue + " was at its limit when its visibility ran out: all must have "
                        + "left it, also those the old leader had not moved when it was killed.",
                "A new leader proposes the expiries (and so the moves) its predecessor had not.");
        List<String> found = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            successor
                    .receive(dlq, 10, LONG, "POST /queues/{q}/receive on the dead-letter queue must answer 200.")
                    .forEach(d -> found.add(d.body()));
        }
        if (found.size() != 50 || !new HashSet<>(found).equals(bodies)) {
            List<String> missing = new ArrayList<>(bodies);
            missing.removeAll(found);
            List<String> twice = new ArrayList<>(found);
            new HashSet<>(found).forEach(twice::remove);
            throw Failure.of("receives of everything in " + dlq + " after the leader was killed during the moves")
                    .expected("each of the 50 messages once: every message is in exactly one queue")
                    .found(found.size() + " messages" + (missing.isEmpty() ? "" : "; missing " + missing)
                            + (twice.isEmpty() ? "" : "; twice " + twice))
                    .hint(
                            "A message was lost or duplicated on its way to the dead-letter queue.",
                            SAME_ENTRY,
                            "Two entries (out of the queue, then into the dead-letter queue) can be cut apart by a "
                                    + "crash between them.")
                    .error();
        }
        cluster.start(old.node());
    }

    @Test
    @DisplayName("Config and Receive-Count Survive Failover")
    void configAndReceiveCountSurviveFailover(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        QueueApi api = new QueueApi(cluster, old.node());
        String queue = Names.queue(cluster, "counted");
        String dlq = queue + "-dlq";
        api.configure(queue, QueueApi.config(3, dlq, 1), "PUT /queues/{q}/config must answer 200.");
        api.send(queue, "counted", "POST /queues/{q}/messages must answer 200.");
        long invoked = System.nanoTime();
        QueueApi.only(api.receive(queue, 1, "POST /queues/{q}/receive must answer 200."), "counted", queue);
        // The receive that delivers it again is called after this moment: its deadline is later than this plus 1 s.
        long beforeSecond = System.nanoTime();
        Delivery second = Redelivery.hiddenThenBack(
                api, queue, "counted", invoked, Duration.ofSeconds(1), VisibilityTimeout.LATE, Duration.ofSeconds(1));
        expectCount(second, 2, queue);

        cluster.kill(old.node());
        QueueApi successor =
                new QueueApi(cluster, RaftView.awaitNewLeader(cluster, old).node());
        successor.expectConfig(
                queue,
                3,
                dlq,
                1,
                "The new leader must have the config the old one accepted.",
                "PUT /queues/{q}/config is a state change: make it a log entry like a send.");
        Delivery third = Redelivery.hiddenThenBack(
                successor,
                queue,
                "counted",
                beforeSecond,
                Duration.ofSeconds(1),
                LATE_ACROSS_FAILOVER.plus(VisibilityTimeout.LATE),
                Duration.ofSeconds(1));
        expectCount(third, 3, queue);
        successor.expectCountsWithin(
                Duration.ofSeconds(1).plus(LATE_ACROSS_FAILOVER),
                dlq,
                1,
                0,
                "After its third delivery (max-receives 3) ran out, the message must move to " + dlq + ".",
                "Receive-counts are state: applying a receive entry counts the delivery on every node.");
        cluster.start(old.node());
    }

    private static void expectCount(Delivery delivery, int count, String queue) {
        if (delivery.receiveCount() != count) {
            throw Failure.of("POST /queues/" + queue + "/receive")
                    .expected("\"" + delivery.body() + "\" with receive-count " + count)
                    .found("receive-count " + delivery.receiveCount())
                    .hint(
                            "receive-count is how many times this message was delivered from this queue.",
                            "Count each delivery when its receive entry is applied, on every node.",
                            "A message moved to the dead-letter queue starts again from 0 there.")
                    .error();
        }
    }
}
