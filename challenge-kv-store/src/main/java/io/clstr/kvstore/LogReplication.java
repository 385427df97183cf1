package io.clstr.kvstore;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Nodes;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.History;
import io.clstr.junit.linearizability.KvInput;
import io.clstr.junit.linearizability.Models;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 5: writes go through the Raft log and are acknowledged only once a majority stores them;
 * logs converge, lagging and diverged followers are repaired, and the leader's reads are
 * linearizable, also while nodes crash and the network splits.
 *
 * <p>Timing as in stage 4: windows of 3 s, a settle of 3 s after every partition and heal (except
 * where a test must write to a leader before it notices it is cut off), 1 s per request.
 */
@ClstrCluster(nodes = 5, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "log-replication", title = "Data Replicates to All Nodes")
public class LogReplication {

    /** Three times the longest election timeout (1 s), as in stage 4. */
    private static final Duration WINDOW = Duration.ofSeconds(3);
    /** How long the checker may search before the verdict is "unknown" (a failure, never a pass). */
    private static final int CLIENTS = 8;
    /** Fewer successful operations than this means the clients were mostly refused: nothing was tested. */
    private static final int MIN_OK = 200;

    private static final String[] LEADER_CAUSES = {
        "Elections work as in stage 4.",
        "With logs, a node votes only for a candidate whose log is at least as up-to-date as its own (a higher "
                + "last term, or the same last term and a last index at least as high)."
    };
    private static final String COMMIT_HINT = "Answer a write 200 only once its entry is stored on a majority "
            + "(3 of 5, the leader included) and committed.";
    private static final String COMMIT_HOW = "The leader appends the entry, sends it to every follower in "
            + "AppendEntries, and commits the highest index a majority stored once that entry is of its current term.";

    @Test
    @DisplayName("Writes Replicate to All Nodes")
    void writesReplicateToAllNodes(Cluster cluster) {
        Node leader = agreedLeader(cluster);
        RaftLogs.NodeLog start = RaftLogs.read(cluster, leader);
        long before = start.readable() ? start.commitIndex() : 0;
        Kv kv = new Kv(cluster, leader);
        Values values = new Values(cluster.random());
        for (int i = 1; i <= 20; i++) {
            kv.put(
                    "replicated:" + i,
                    values.tagged("replicated-" + i),
                    "The leader did not accept a write as in stage 4.",
                    COMMIT_HINT,
                    COMMIT_HOW);
        }
        cluster.get(node(leader), "/log")
                .status(200)
                .json("commit-index", JsonMatchers.atLeast(before + 20))
                .json("last-applied", JsonMatchers.atLeast(before + 20))
                .eventually(WINDOW)
                .hint(
                        "After 20 acknowledged writes the leader's GET /log must show commit-index and last-applied "
                                + "at least " + (before + 20) + " (they were " + before + " before).",
                        "Every PUT, DELETE and clear is one log entry.",
                        "Answer {\"entries\": [{\"index\", \"term\", \"command\"}...], \"commit-index\", "
                                + "\"last-applied\"}.")
                .check();
        RaftLogs.awaitAgreement(
                cluster,
                leader,
                WINDOW,
                "The followers' logs do not match the leader's.",
                "Every follower stores the leader's entries at the same indexes with the same terms.",
                "Followers learn the commit index from leader-commit in the next AppendEntries (heartbeats carry it "
                        + "too): commitIndex = min(leader-commit, index of the last new entry).",
                "Apply entries up to the commit index, in order.");
    }

    @Test
    @DisplayName("Committed Writes Survive Leader Crash")
    void committedWritesSurviveLeaderCrash(Cluster cluster) {
        Leader old = leader(cluster);
        Map<String, String> written = writeAll(cluster, old.node(), "committed", 50);
        cluster.kill(old.node());
        Node successor =
                electedAfter(cluster, old, cluster.othersThan(old.node())).node();
        Kv kv = new Kv(cluster, successor);
        written.forEach((key, value) -> kv.expect(
                key,
                value,
                "The new leader " + successor.name() + " lost a write the old leader acknowledged.",
                COMMIT_HINT,
                "A committed entry is on a majority, and only a node whose log is up to date can win a "
                        + "majority of votes, so the new leader has it.",
                "The new leader must apply it before answering reads: commit a no-op entry of its own term "
                        + "first."));
        cluster.start(old.node());
    }

    @Test
    @DisplayName("Minority Leader Cannot Commit")
    void minorityLeaderCannotCommit(Cluster cluster) {
        Leader old = leader(cluster);
        Node follower = cluster.randomOther(old.node());
        List<Node> minority = List.of(old.node(), follower);
        List<Node> majority = cluster.othersThan(minority);
        cluster.partitionNow(minority, majority);
        List<String> lost = writesNeverAcknowledged(cluster, minority, "minority", 5);
        Node successor = electedAfter(cluster, old, majority).node();
        Map<String, String> kept = writeAll(cluster, successor, "majority", 5);
        cluster.heal();
        Node leader = agreedLeader(cluster);
        RaftLogs.awaitAgreement(
                cluster,
                leader,
                WINDOW,
                "After the partition heals, " + Nodes.names(minority) + " hold entries of term " + old.term()
                        + " that were never committed; the leader's AppendEntries must replace them.",
                "A follower that finds an entry of another term at an index it receives deletes that entry and "
                        + "every one after it, then appends the leader's.");
        expectState(
                cluster,
                leader,
                lost,
                kept,
                "Writes sent to the cut-off leader were never acknowledged: they must leave no trace once the logs "
                        + "are repaired.",
                "Every write the majority acknowledged must be there.");
    }

    @Test
    @DisplayName("Lagging Follower Catches Up")
    void laggingFollowerCatchesUp(Cluster cluster) {
        Node leader = agreedLeader(cluster);
        Node lagging = cluster.randomOther(leader);
        cluster.kill(lagging);
        Kv kv = new Kv(cluster, leader);
        Values values = new Values(cluster.random());
        cluster.concurrently(
                100,
                i -> kv.put(
                        "lagging:" + i,
                        values.tagged("lagging-" + i),
                        "With one follower down, four of five nodes still make a majority: each of 100 writes "
                                + "(50 in flight) must answer 200.",
                        "Replicate to each follower independently, so one that does not answer delays no other."));
        cluster.start(lagging);
        RaftLogs.awaitAgreement(
                cluster,
                leader,
                WINDOW,
                lagging.name() + " was down during 100 writes and did not catch up.",
                "When it rejects an AppendEntries (no entry at prev-log-index), the leader moves nextIndex back and "
                        + "retries until the logs match.",
                "Then the leader sends everything after that point, in batches.",
                "A follower can answer with its last index to skip the search.");
    }

    @Test
    @DisplayName("Diverged Logs Are Repaired")
    void divergedLogsAreRepaired(Cluster cluster) {
        Leader deposed = leader(cluster);
        List<Node> rest = cluster.othersThan(deposed.node());
        cluster.partitionNow(List.of(deposed.node()), rest);
        List<String> lost = writesNeverAcknowledged(cluster, List.of(deposed.node()), "deposed", 3);
        Leader first = electedAfter(cluster, deposed, rest);
        Map<String, String> kept = writeAll(cluster, first.node(), "diverged-a", 5);
        cluster.kill(first.node());
        Leader second = electedAfter(cluster, first, cluster.othersThan(deposed.node(), first.node()));
        kept.putAll(writeAll(cluster, second.node(), "diverged-b", 5));
        cluster.start(first.node());
        cluster.heal();
        Node leader = agreedLeader(cluster);
        RaftLogs.awaitAgreement(
                cluster,
                leader,
                WINDOW,
                deposed.node().name() + " holds uncommitted entries of term " + deposed.term()
                        + " at indexes where the leader has entries of two later terms.",
                "The leader's first AppendEntries to it points past its log, the next one at an index where the terms "
                        + "differ.",
                "The follower compares the term of its entry at prev-log-index with prev-log-term and rejects on a "
                        + "mismatch: an index that merely exists is not a match.",
                "The leader keeps moving back until they match.");
        expectState(
                cluster,
                leader,
                lost,
                kept,
                "The deposed leader's unacknowledged writes must be gone and every acknowledged write there.");
    }

    @Test
    @DisplayName("Cluster Survives a Full Crash")
    void clusterSurvivesFullCrash(Cluster cluster) {
        Node leader = agreedLeader(cluster);
        Map<String, String> written = writeAll(cluster, leader, "full-crash", 30);
        Node[] everyone = cluster.members().toArray(Node[]::new);
        cluster.kill(everyone);
        cluster.start(everyone);
        Node successor = agreedLeader(cluster);
        Kv kv = new Kv(cluster, successor);
        written.forEach(
                (key, value) -> kv.expect(
                        key,
                        value,
                        "After all five nodes were killed and restarted, an acknowledged write is missing.",
                        "Persist log entries (fsync) before acknowledging them, on followers too.",
                        "On restart load the log, term and vote.",
                        "The commit index need not be persisted: the new leader learns it by committing an entry of its term."));
    }

    /**
     * A deposed leader and its successor barely overlap in real time (500 ms step-down, elections
     * after 500-1000 ms), so a read that skips the leadership check rarely meets a newer leader's
     * write. Here they overlap on purpose: the leader is paused (SIGSTOP) past an election and cut
     * off while it stands still, the successor acknowledges a new value, and the old leader is read
     * the moment it resumes, when it still believes it leads (it has heard nothing since).
     */
    @Test
    @DisplayName("Deposed Leader Cannot Serve Stale Reads")
    void deposedLeaderCannotServeStaleReads(Cluster cluster) {
        Leader old = leader(cluster);
        List<Node> rest = cluster.othersThan(old.node());
        Values values = new Values(cluster.random());
        String key = "stale:" + values.token(6);
        String overwritten = values.tagged("before");
        String latest = values.tagged("after");
        Kv before = new Kv(cluster, old.node());
        before.put(key, overwritten, "The leader did not accept a write.", COMMIT_HINT, COMMIT_HOW);
        before.expect(key, overwritten, "The leader must read back the write it just acknowledged.");
        old.node().pause();
        cluster.partitionNow(List.of(old.node()), rest);
        Leader successor = electedAfter(cluster, old, rest);
        new Kv(cluster, successor.node())
                .put(
                        key,
                        latest,
                        "The new leader " + successor.node().name() + " reaches 4 of 5 nodes ("
                                + old.node().name() + " is paused and cut off): its writes must commit.",
                        COMMIT_HINT,
                        COMMIT_HOW);
        old.node().resume();
        Response read = cluster.send(old.node(), Request.get("/kv/" + key));
        cluster.heal();
        boolean served = read.status() == 200 || read.status() == 404;
        if (served && !(read.status() == 200 && latest.equals(read.body()))) {
            throw Failure.of("GET /kv/" + key + " on " + old.node().name() + " as soon as it resumed (it led term "
                            + old.term() + ", was paused and cut off, and meanwhile "
                            + successor.node().name()
                            + ", leader of term " + successor.term() + ", acknowledged a new value)")
                    .expected("200 \"" + latest + "\" (the value acknowledged last), or no read: a redirect, 503, "
                            + "500 or no answer in time")
                    .found(read.status() + " \"" + read.body().strip() + "\""
                            + (overwritten.equals(read.body()) ? " (the value it held before the pause)" : ""))
                    .hint(
                            "A leader deposed without knowing it answered a read from its own, stale state.",
                            "Believing you lead proves nothing: a newer leader may have been elected while this node "
                                    + "was paused, slow or cut off.",
                            "Before answering a read, confirm leadership with a heartbeat round that a majority "
                                    + "answers after the read arrived (ReadIndex), or send the read through the log.",
                            "A read lease is only as safe as the clock that times it: ticks of the node's own timer "
                                    + "stop while the process is paused.")
                    .error();
        }
    }

    @Test
    @DisplayName("Linearizable Under Faults")
    void linearizableUnderFaults(Cluster cluster) {
        agreedLeader(cluster);
        History<KvInput, Object> history = cluster.history();
        try (Clients clients = new Clients(cluster, history, CLIENTS, List.of("k1", "k2", "k3", "k4", "k5"))) {
            cluster.settle();
            Leader crashed = leader(cluster);
            cluster.kill(crashed.node());
            cluster.settle();
            cluster.start(crashed.node());
            Leader alone = leader(cluster);
            cluster.partition(List.of(alone.node()), cluster.othersThan(alone.node()));
            cluster.heal();
            Leader paired = leader(cluster);
            List<Node> minority = List.of(paired.node(), cluster.randomOther(paired.node()));
            cluster.partition(minority, cluster.othersThan(minority));
            cluster.heal();
        }
        Clients.expectEnoughDone(history, CLIENTS + " clients on 5 keys for about 20 s", MIN_OK);
        cluster.assertLinearizable(
                history,
                Models.kv(),
                "Some client saw a result no order of the operations explains.",
                "Look in the timeline for the highlighted operations, the node that served them, and the fault "
                        + "before them.",
                "A write answered 200 before a majority stored it is lost when the leader crashes or is cut off.",
                "A read served by a leader that has been replaced is stale: confirm leadership with a majority "
                        + "before answering, or send reads through the log.",
                "A write applied twice, or applied although another leader replaced its entry, breaks the order.");
    }

    // ---------------------------------------------------------------- steps

    /** The leader every live node names, with its term, waiting up to 3 s. */
    private static Leader leader(Cluster cluster) {
        return RaftView.awaitAgreement(
                cluster, WINDOW, "The live nodes did not agree on one leader within 3 s.", LEADER_CAUSES);
    }

    private static Node agreedLeader(Cluster cluster) {
        return leader(cluster).node();
    }

    /** The one node among {@code candidates} that leads in a term above {@code old}'s, waiting up to 3 s. */
    private static Leader electedAfter(Cluster cluster, Leader old, List<Node> candidates) {
        return RaftView.electedAfter(cluster, old, candidates, WINDOW, LEADER_CAUSES);
    }

    /** {@code count} sequential writes of fresh values to {@code leader}, each answered 200; returns them. */
    private static Map<String, String> writeAll(Cluster cluster, Node leader, String prefix, int count) {
        Kv kv = new Kv(cluster, leader);
        Values values = new Values(cluster.random());
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            String key = prefix + ":" + i;
            String value = values.tagged(prefix + "-" + i);
            kv.put(
                    key,
                    value,
                    "The leader " + leader.name() + " can reach a majority: its writes must commit and answer 200 "
                            + "within 1 s.",
                    COMMIT_HINT,
                    COMMIT_HOW);
            written.put(key, value);
        }
        return written;
    }

    /**
     * Sends {@code count} writes at once to the leader, {@code side.get(0)}, which has just been cut
     * off from the majority with the rest of {@code side}; none may be answered 200. Returns their keys.
     */
    private static List<String> writesNeverAcknowledged(Cluster cluster, List<Node> side, String prefix, int count) {
        Node leader = side.get(0);
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            keys.add(prefix + ":" + i);
        }
        Response[] answers = new Response[count];
        cluster.concurrently(count, i -> answers[i] = cluster.send(leader, Request.put("/kv/" + keys.get(i), "never")));
        for (Response answer : answers) {
            if (answer.status() == 200) {
                throw Failure.of(answer.request().method() + " "
                                + answer.request().path() + " on " + leader.name()
                                + " (the leader, cut off from the majority"
                                + (side.size() == 1 ? " alone" : " with " + Nodes.names(side.subList(1, side.size())))
                                + ", as the partition began)")
                        .expected("anything but 200: only " + side.size() + " of "
                                + cluster.members().size() + " nodes can store the entry, so it cannot commit")
                        .found("200")
                        .hint(
                                "A leader cut off from the majority acknowledged a write that cannot commit.",
                                COMMIT_HINT,
                                "Do not answer when the entry is only in the leader's own log: wait for the commit.",
                                "If leadership is lost first, answer an error (500) or nothing.")
                        .error();
            }
        }
        return keys;
    }

    /** On {@code leader}: every key of {@code lost} is missing and every key of {@code kept} holds its value. */
    private static void expectState(
            Cluster cluster, Node leader, List<String> lost, Map<String, String> kept, String... hint) {
        Kv kv = new Kv(cluster, leader);
        lost.forEach(key -> kv.expectMissing(key, hint));
        kept.forEach((key, value) -> kv.expect(key, value, hint));
    }
}
