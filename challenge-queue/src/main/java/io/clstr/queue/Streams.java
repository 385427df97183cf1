package io.clstr.queue;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.History;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import io.clstr.junit.stream.StreamChecks;
import io.clstr.junit.stream.StreamInput;
import io.clstr.junit.stream.StreamOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 8: Kafka-style streams next to the queues. An append gets the next offset of its key's
 * log when its entry is applied; polls read ordered runs from an offset; consumer groups commit
 * offsets, which only move forward. Checked as Jepsen's Kafka workload checks a log: no lost
 * writes, no duplicates, one message per offset, no skips, monotonic offsets.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "streams", title = "Kafka-Style Logs")
public class Streams {

    private static final String AT_APPLY = "Give an append its offset when its entry is applied (the key's log "
            + "length then), never when the request arrives.";

    @Test
    @DisplayName("Offsets Increase and Keys Are Independent")
    void offsetsIncreaseAndKeysAreIndependent(Cluster cluster) {
        Node leader = RaftView.awaitLeader(cluster).node();
        String a = Names.queue(cluster, "stream-a");
        String b = Names.queue(cluster, "stream-b");
        List<Long> offsetsA = new ArrayList<>();
        List<Long> offsetsB = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            offsetsA.add(append(cluster, leader, a, "a" + i));
            if (i <= 3) {
                offsetsB.add(append(cluster, leader, b, "b" + i));
            }
        }
        expectIncreasing(a, offsetsA);
        expectIncreasing(b, offsetsB);
        if (!offsetsA.get(0).equals(offsetsB.get(0))) {
            throw Failure.of("the first appends to two new streams, " + a + " and " + b + ", interleaved")
                    .expected("the same first offset: each key has a log of its own")
                    .found(a + " started at " + offsetsA.get(0) + ", " + b + " at " + offsetsB.get(0))
                    .hint(
                            "Offsets are positions in one key's log, not a counter shared by all keys.",
                            "Keep a log (or a length) per key.")
                    .error();
        }
        for (String bad : List.of("-1", "abc")) {
            cluster.get(node(leader), "/streams/" + a + "?offset=" + bad + "&max=10")
                    .status(400)
                    .body("invalid offset")
                    .hint("GET /streams/{key}?offset=N must refuse an offset that is not a whole number of at least "
                            + "0 with 400 invalid offset.")
                    .check();
        }
    }

    @Test
    @DisplayName("Polls Return Ordered Runs and Resume After the Committed Offset")
    void pollsReturnOrderedRunsAndResumeAfterTheCommittedOffset(Cluster cluster) {
        Node leader = RaftView.awaitLeader(cluster).node();
        String key = Names.queue(cluster, "runs");
        List<Long> offsets = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add("m" + i);
            offsets.add(append(cluster, leader, key, "m" + i));
        }
        expectRun(cluster, leader, key, offsets.get(0), 4, offsets.subList(0, 4), messages.subList(0, 4));
        cluster.put(node(leader), "/streams/" + key + "/groups/g", Long.toString(offsets.get(4)))
                .status(200)
                .hint("PUT /streams/{key}/groups/{g} with an offset must answer 200.")
                .check();
        long committed = committed(cluster, leader, key, "g");
        if (committed != offsets.get(4)) {
            throw Failure.of("GET /streams/" + key + "/groups/g after committing " + offsets.get(4))
                    .expected(Long.toString(offsets.get(4)))
                    .found(Long.toString(committed))
                    .hint("GET answers the offset the group committed, as text.")
                    .error();
        }
        expectRun(cluster, leader, key, committed, 100, offsets.subList(4, 10), messages.subList(4, 10));
    }

    @Test
    @DisplayName("Committed Offsets Are Monotonic and Survive Failover and Full Restart")
    void committedOffsetsAreMonotonicAndSurviveFailoverAndFullRestart(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        String key = Names.queue(cluster, "committed");
        cluster.get(node(old.node()), "/streams/" + key + "/groups/never")
                .status(404)
                .body("no committed offset")
                .hint("A group that never committed answers 404 no committed offset.")
                .check();
        for (String offset : List.of("7", "5")) {
            cluster.put(node(old.node()), "/streams/" + key + "/groups/g", offset)
                    .status(200)
                    .hint("PUT /streams/{key}/groups/{g} with an offset must answer 200, also a lower one.")
                    .check();
        }
        expectCommitted(cluster, old.node(), key, 7, "after committing 7 and then 5");
        cluster.kill(old.node());
        Node next = RaftView.awaitNewLeader(cluster, old).node();
        expectCommitted(cluster, next, key, 7, "on the new leader after the old one was killed");
        cluster.start(old.node());
        Node[] everyone = cluster.members().toArray(Node[]::new);
        cluster.kill(everyone);
        cluster.start(everyone);
        expectCommitted(
                cluster, RaftView.awaitLeader(cluster).node(), key, 7, "after all three nodes were killed and started");
    }

    @Test
    @DisplayName("No Offset Ever Maps to Two Messages Across Leader Kills")
    void noOffsetEverMapsToTwoMessagesAcrossLeaderKills(Cluster cluster) {
        RaftView.awaitLeader(cluster);
        History<StreamInput, StreamOutput> history = cluster.history();
        List<String> keys = List.of(Names.queue(cluster, "k1"), Names.queue(cluster, "k2"));
        try (StreamWorkload workload = new StreamWorkload(cluster, history, keys, 3, 2)) {
            for (int kill = 1; kill <= 2; kill++) {
                workload.awaitMoreSent(20, Duration.ofSeconds(10));
                Leader leader = RaftView.awaitLeader(cluster);
                cluster.kill(leader.node());
                RaftView.awaitNewLeader(cluster, leader);
                workload.awaitMoreSent(20, Duration.ofSeconds(10));
                cluster.start(leader.node());
            }
            workload.close();
            workload.readAll(Duration.ofSeconds(30));
        }
        cluster.assertHolds(
                history,
                StreamChecks.oneMessagePerOffset()
                        .and(StreamChecks.noLostWrites())
                        .and(StreamChecks.noDuplicates())
                        .and(StreamChecks.monotonicOffsets()),
                "Across leader kills an offset was given to two messages, or an acknowledged append was lost.",
                AT_APPLY,
                "Answer an append only once its entry is committed: a leader's own count includes entries a "
                        + "new leader may replace.");
    }

    @Test
    @DisplayName("Chaos With Partitions Keeps the Log Whole")
    void chaosWithPartitionsKeepsTheLogWhole(Cluster cluster) {
        RaftView.awaitLeader(cluster);
        History<StreamInput, StreamOutput> history = cluster.history();
        List<String> keys = List.of(Names.queue(cluster, "c1"), Names.queue(cluster, "c2"), Names.queue(cluster, "c3"));
        try (StreamWorkload workload = new StreamWorkload(cluster, history, keys, 3, 3)) {
            Leader isolated = RaftView.awaitLeader(cluster);
            cluster.partition(List.of(isolated.node()), cluster.othersThan(isolated.node()));
            cluster.heal();
            Leader leader = RaftView.awaitLeader(cluster);
            Node follower = cluster.randomOther(leader.node());
            cluster.partition(List.of(follower), cluster.othersThan(follower));
            cluster.heal();
            Leader crashed = RaftView.awaitLeader(cluster);
            cluster.kill(crashed.node());
            cluster.settle();
            cluster.start(crashed.node());
            cluster.settle();
            workload.close();
            workload.readAll(Duration.ofSeconds(30));
        }
        cluster.assertHolds(
                history,
                StreamChecks.all(),
                "Under partitions and a crash the log lost, repeated or skipped messages, an offset held two "
                        + "messages, or a committed offset went back.",
                AT_APPLY,
                "Serve polls only on a leader that has confirmed its leadership (ReadIndex), so that no poll "
                        + "reads a deposed leader's stale log.",
                "Store a commit as the maximum of the old and the new offset.");
    }

    @Test
    @DisplayName("A Minority Leader Never Acknowledges a Send")
    void aMinorityLeaderNeverAcknowledgesASend(Cluster cluster) {
        Leader old = RaftView.awaitLeader(cluster);
        String key = Names.queue(cluster, "minority");
        cluster.partitionNow(List.of(old.node()), cluster.othersThan(old.node()));
        Response[] answers = new Response[5];
        cluster.concurrently(
                answers.length,
                i -> answers[i] = cluster.send(old.node(), Request.post("/streams/" + key, "never-" + i)));
        for (Response answer : answers) {
            if (answer.status() == 200) {
                throw Failure.of("POST /streams/" + key + " on " + old.node().name()
                                + " (the leader, cut off alone from the majority as the partition began)")
                        .expected("anything but 200: the entry cannot commit without a majority")
                        .found("200 " + answer.body().strip())
                        .hint(
                                "A leader cut off from the majority acknowledged an append that cannot commit.",
                                "Answer an append only once its entry is committed and applied.",
                                "If leadership is lost first, answer an error (500 or 503) or nothing.")
                        .error();
            }
        }
        Node next = RaftView.awaitNewLeader(cluster, old).node();
        cluster.heal();
        Response read = cluster.send(next, Request.get("/streams/" + key + "?offset=0&max=100"));
        List<StreamOutput.Read> reads = StreamClient.reads(read).orElse(List.of());
        if (read.status() != 200 || !reads.isEmpty()) {
            throw Failure.of("GET /streams/" + key + "?offset=0 on the new leader " + next.name())
                    .expected("200 []: no append to the cut-off leader committed")
                    .found(read.status() + " " + read.body().strip())
                    .hint(
                            "Appends the cut-off leader could not commit must leave no trace.",
                            "A new leader's entries replace the uncommitted ones of the old leader.")
                    .error();
        }
    }

    // ---------------------------------------------------------------- steps

    /** {@code POST /streams/{key}} answers 200 {@code {"offset": n}}; returns n. */
    private static long append(Cluster cluster, Node leader, String key, String message) {
        Response response = cluster.post(node(leader), "/streams/" + key, message)
                .status(200)
                .json("offset", JsonMatchers.wholeNumber())
                .hint("POST /streams/{key} must answer 200 {\"offset\": n} once the append is committed.", AT_APPLY)
                .check()
                .response();
        return response.jsonLong("offset").orElseThrow();
    }

    private static void expectIncreasing(String key, List<Long> offsets) {
        for (int i = 1; i < offsets.size(); i++) {
            if (offsets.get(i) <= offsets.get(i - 1)) {
                throw Failure.of("appends to " + key + ", one after another")
                        .expected("offsets that strictly increase")
                        .found(offsets.toString())
                        .hint("Each append to a key gets an offset above every earlier one of that key.", AT_APPLY)
                        .error();
            }
        }
    }

    /** A poll from {@code from} of up to {@code max} reads exactly these offsets and messages, in order. */
    private static void expectRun(
            Cluster cluster, Node leader, String key, long from, int max, List<Long> offsets, List<String> messages) {
        String path = "/streams/" + key + "?offset=" + from + "&max=" + max;
        Response response = cluster.get(node(leader), path)
                .status(200)
                .hint("GET /streams/{key}?offset=N&max=M must answer 200 with a JSON array.")
                .check()
                .response();
        List<StreamOutput.Read> expected = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            expected.add(new StreamOutput.Read(offsets.get(i), messages.get(i)));
        }
        List<StreamOutput.Read> got = StreamClient.reads(response).orElse(null);
        if (!expected.equals(got)) {
            throw Failure.of("GET " + path + " on " + leader.name())
                    .expected(expected.toString())
                    .found(response.body().strip())
                    .hint(
                            "A poll returns the messages from the offset asked, in offset order, at most max.",
                            "Answer [{\"offset\": n, \"msg\": \"...\"}, ...].",
                            "A group's committed offset is the next offset it will read.")
                    .error();
        }
    }

    private static long committed(Cluster cluster, Node node, String key, String group) {
        Response response = cluster.get(node(node), "/streams/" + key + "/groups/" + group)
                .status(200)
                .hint("GET /streams/{key}/groups/{g} must answer 200 with the committed offset.")
                .check()
                .response();
        return StreamClient.offset(response.body())
                .orElseThrow(() -> Failure.of("GET /streams/" + key + "/groups/" + group)
                        .expected("the committed offset, a whole number")
                        .found(response.body().strip())
                        .hint("Answer the offset as text, such as 7.")
                        .error());
    }

    private static void expectCommitted(Cluster cluster, Node node, String key, long offset, String when) {
        long got = committed(cluster, node, key, "g");
        if (got != offset) {
            throw Failure.of("GET /streams/" + key + "/groups/g on " + node.name() + ", " + when)
                    .expected(Long.toString(offset))
                    .found(Long.toString(got))
                    .hint(
                            "A committed offset only moves forward and survives failovers and restarts.",
                            "Store a commit as the maximum of the old and the new offset.",
                            "Make each commit a log entry, applied on every node.")
                    .error();
        }
    }
}
