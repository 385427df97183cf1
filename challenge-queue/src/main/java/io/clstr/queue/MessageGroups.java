package io.clstr.queue;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.History;
import io.clstr.junit.queue.QueueChecks;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import io.clstr.junit.queue.QueueOutput.Delivery;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 7: a send may name a message group ({@code Group-Id}). Within a group messages are
 * delivered in order, one at a time: while one is in flight the group is blocked, and a receive
 * skips blocked groups. The lock is replicated state.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "message-groups", title = "Ordered Groups")
public class MessageGroups {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String ONE_AT_A_TIME = "A group with a message in flight is blocked: a receive skips every "
            + "message of it, and delivers at most one message of a group (its oldest, the head).";

    @Test
    @DisplayName("A Receive Skips a Blocked Group Until Its Head Is Deleted")
    void aReceiveSkipsABlockedGroupUntilItsHeadIsDeleted(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "groups");
        api.sendRefused(
                queue,
                "Group-Id",
                "has space",
                "invalid group id",
                "A Group-Id must be 1 to 128 letters, digits, '_' or '-': anything else is 400 invalid group id.");
        api.sendInGroup(queue, "a1", "a", "POST /queues/{q}/messages with Group-Id must answer 200.");
        api.sendInGroup(queue, "a2", "a", "POST /queues/{q}/messages with Group-Id must answer 200.");
        api.sendInGroup(queue, "b1", "b", "POST /queues/{q}/messages with Group-Id must answer 200.");
        Delivery a1 = QueueApi.only(receive(api, queue, 1), "a1", queue);
        expectOnly(
                receive(api, queue, 1),
                "b1",
                queue,
                "with a1 in flight, group a is blocked: the receive must skip a2 and deliver b1",
                "Skip a blocked group; do not stop at it: the groups behind it are free.");
        expectOnly(
                receive(api, queue, 10),
                null,
                queue,
                "with a1 and b1 in flight, both groups are blocked: nothing may be delivered",
                ONE_AT_A_TIME);
        api.delete(queue, a1.receipt(), "DELETE /queues/{q}/messages/{receipt} must answer 200.");
        expectOnly(
                receive(api, queue, 10),
                "a2",
                queue,
                "once a1 is deleted, group a is free: its next message, a2, must be delivered",
                "A delete ends the delivery and unblocks the group.");
    }

    @Test
    @DisplayName("An Expired Head Is Redelivered Before the Next")
    void anExpiredHeadIsRedeliveredBeforeTheNext(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "head");
        api.sendInGroup(queue, "first", "g", "POST /queues/{q}/messages with Group-Id must answer 200.");
        api.sendInGroup(queue, "second", "g", "POST /queues/{q}/messages with Group-Id must answer 200.");
        long invoked = System.nanoTime();
        QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(2), "POST /queues/{q}/receive must answer 200."),
                "first",
                queue);
        Redelivery.hiddenThenBack(
                api,
                queue,
                "first",
                invoked,
                Duration.ofSeconds(2),
                VisibilityTimeout.LATE,
                LONG,
                "Within a group the head stays the head when its visibility runs out: deliver it again before "
                        + "the next message of the group.");
    }

    @Test
    @DisplayName("The Group Lock Survives Failover")
    void theGroupLockSurvivesFailover(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        QueueApi api = new QueueApi(cluster, old.node());
        String queue = Names.queue(cluster, "locked");
        api.sendInGroup(queue, "head", "g", "POST /queues/{q}/messages with Group-Id must answer 200.");
        api.sendInGroup(queue, "next", "g", "POST /queues/{q}/messages with Group-Id must answer 200.");
        Delivery head = QueueApi.only(receive(api, queue, 1), "head", queue);

        cluster.kill(old.node());
        QueueApi successor =
                new QueueApi(cluster, RaftView.awaitNewLeader(cluster, old).node());
        expectOnly(
                receive(successor, queue, 10),
                null,
                queue,
                "on the new leader, with the head still in flight from the old one, the group is blocked",
                "The lock is the delivery itself, a replicated entry: every node that applies a receive knows the "
                        + "group is blocked.",
                "Do not keep locks in the leader's memory.");
        successor.delete(
                queue, head.receipt(), "The old leader's receipt must delete the head on the new leader: 200.");
        expectOnly(
                receive(successor, queue, 1),
                "next",
                queue,
                "once the head is deleted, the next message of the group must be delivered",
                "A delete ends the delivery and unblocks the group.");
        cluster.start(old.node());
    }

    @Test
    @DisplayName("5 Groups of 20 Messages, 6 Consumers and a Leader Kill Keep Per-Group Order and Exclusivity")
    void fiveGroupsSixConsumersAndALeaderKillKeepPerGroupOrderAndExclusivity(Cluster cluster) {
        Node leader = RaftView.awaitLeader(cluster).node();
        String queue = Names.queue(cluster, "five-groups");
        History<QueueInput, QueueOutput> history = cluster.history();
        QueueClient client = new QueueClient(cluster, history);
        for (int k = 1; k <= 20; k++) {
            for (int g = 0; g < 5; g++) {
                // One client per group: FIFO first delivery per producer is then per-group order.
                if (client.sendInGroup(g, leader, queue, "g" + g + "-" + k, "g" + g)
                                .completion()
                        != Completion.OK) {
                    throw Failure.of(
                                    "POST /queues/" + queue + "/messages with Group-Id: g" + g + " on " + leader.name())
                            .expected("200 {\"id\": n}")
                            .found("no acknowledgement; see the timeline of the run")
                            .hint("The leader must accept sends with a Group-Id while nothing fails.")
                            .error();
                }
            }
        }
        try (Workload consumers = new Workload(cluster, history, queue, 0, 6, Duration.ofSeconds(2), 0.1)) {
            consumers.awaitMoreDeleted(25, Duration.ofSeconds(20));
            Leader crashed = RaftView.awaitLeader(cluster);
            cluster.kill(crashed.node());
            RaftView.awaitNewLeader(cluster, crashed);
            consumers.awaitMoreDeleted(25, Duration.ofSeconds(20));
            cluster.start(crashed.node());
            consumers.close();
            consumers.drain(LONG);
        }
        cluster.assertHolds(
                history,
                QueueChecks.atLeastOnce().and(QueueChecks.perGroupOrder()).and(QueueChecks.groupExclusivity()),
                "Within a group a message was delivered out of order or while another of the group was in flight.",
                ONE_AT_A_TIME,
                "The lock is the delivery itself: replicate receives, and a new leader knows every group in flight.",
                "An expired head stays the head.");
    }

    @Test
    @DisplayName("A Poison Head Moved to the Dead-Letter Queue Unblocks Its Group")
    void aPoisonHeadMovedToTheDeadLetterQueueUnblocksItsGroup(Cluster cluster) {
        QueueApi api = new QueueApi(cluster, RaftView.awaitLeader(cluster).node());
        String queue = Names.queue(cluster, "poisoned");
        String dlq = queue + "-dlq";
        api.configure(queue, QueueApi.config(1, dlq, 5), "PUT /queues/{q}/config must answer 200.");
        api.sendInGroup(queue, "poison", "g", "POST /queues/{q}/messages with Group-Id must answer 200.");
        api.sendInGroup(queue, "healthy", "g", "POST /queues/{q}/messages with Group-Id must answer 200.");
        QueueApi.only(
                api.receive(queue, 1, Duration.ofSeconds(1), "POST /queues/{q}/receive must answer 200."),
                "poison",
                queue);
        api.expectCountsWithin(
                Duration.ofSeconds(1).plus(VisibilityTimeout.LATE),
                dlq,
                1,
                0,
                "The head reached its limit (max-receives 1) and its visibility ran out: it must move to " + dlq + ".",
                "Moving works as in stage 5, for a message of a group too.");
        expectOnly(
                receive(api, queue, 1),
                "healthy",
                queue,
                "once the poison head has moved to the dead-letter queue, the group's next message must be delivered",
                "A message that leaves the queue (deleted or moved) no longer blocks its group.");
    }

    private static List<Delivery> receive(QueueApi api, String queue, int max) {
        return api.receive(queue, max, LONG, "POST /queues/{q}/receive must answer 200.");
    }

    /** {@code got} is exactly {@code body}, or nothing when {@code body} is null. */
    private static void expectOnly(List<Delivery> got, String body, String queue, String when, String... causes) {
        List<String> bodies = Names.bodies(got);
        if (!bodies.equals(body == null ? List.of() : List.of(body))) {
            throw Failure.of("POST /queues/" + queue + "/receive, " + when)
                    .expected(body == null ? "[]" : "[\"" + body + "\"]")
                    .found(bodies.toString())
                    .hint("Message groups: in order, one in flight at a time, blocked groups skipped.", causes)
                    .error();
        }
    }
}
