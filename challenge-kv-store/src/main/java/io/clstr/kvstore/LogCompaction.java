package io.clstr.kvstore;

import static io.clstr.junit.check.Select.all;
import static io.clstr.junit.check.Select.node;
import static io.clstr.junit.check.Select.nodes;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.DependsOn;
import io.clstr.junit.Node;
import io.clstr.junit.Nodes;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
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
 * Stage 6: snapshots bound the log. Each node snapshots its state machine and drops the log
 * entries the snapshot covers; a restarted node starts from its snapshot; a follower that falls
 * behind the leader's snapshot point is caught up with InstallSnapshot.
 *
 * <p>Timing as in stages 4 and 5: windows of 3 s, a settle of 3 s after every partition and heal
 * (except where a test must act before the cluster notices), 1 s per request.
 */
@ClstrCluster(nodes = 5, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "log-compaction", title = "System Manages Log Growth")
public class LogCompaction {

    /** Three times the longest election timeout (1 s), as in stage 4. */
    private static final Duration WINDOW = Duration.ofSeconds(3);
    /** Writes of "Log Stays Bounded", and the most entries a log may hold after them (the spec's). */
    private static final int WRITES = 3000;

    private static final int MAX_ENTRIES = 1000;
    /** Writes sent at once while waiting for the nodes to compact past a point. */
    private static final int BATCH = 250;
    /** A log of at most 1,000 entries has compacted past any point 1,000 writes later; a margin on top. */
    private static final int MAX_COMPACTION_WRITES = 1500;

    /** Fewer successful operations than this means the clients were mostly refused: nothing was tested. */
    private static final int MIN_OK = 200;

    private static final Request SNAPSHOT = Request.get("/log/snapshot");
    private static final String[] LEADER_CAUSES = {
        "Elections work as in stage 4.",
        "A candidate's last log index and term come from its log, or from its snapshot when no entry follows it."
    };

    /** What "Log Stays Bounded" wrote; null until it runs. */
    private Map<String, String> written;

    @Test
    @DisplayName("Snapshot Metadata Starts at Zero")
    void snapshotMetadataStartsAtZero(Cluster cluster) {
        cluster.get(all(), "/log/snapshot")
                .status(200)
                .json("last-included-index", JsonMatchers.wholeNumber(0))
                .json("last-included-term", JsonMatchers.wholeNumber(0))
                .hint(
                        "GET /log/snapshot must answer 200 with {\"last-included-index\": 0, "
                                + "\"last-included-term\": 0} on every node before any snapshot.",
                        "A fresh node has no snapshot: the index and term of the last entry it covers are both 0.",
                        "Answer on every node, leader or not, without a redirect.")
                .check();
    }

    @Test
    @DisplayName("Log Stays Bounded")
    void logStaysBounded(Cluster cluster) {
        written = writeMany(cluster);
        cluster.get(all(), "/log/snapshot")
                .status(200)
                .json("last-included-index", JsonMatchers.above(0))
                .json("last-included-term", JsonMatchers.above(0))
                .eventually(WINDOW)
                .hint(
                        "After " + WRITES + " writes, every node's GET /log/snapshot must show a "
                                + "last-included-index above 0, and the term of that entry (at least 1: no entry "
                                + "has term 0): each node snapshots its own state machine.",
                        "Every few hundred applied entries, save the state machine with the index and term of the "
                                + "last entry it includes, durably (write a temporary file, fsync, rename).",
                        "The term matters: the AppendEntries consistency check at that index and the election "
                                + "restriction (when no entry follows the snapshot) compare it.",
                        "Followers snapshot on their own, from what they applied; the leader sends its snapshot "
                                + "only to a follower that fell behind it.")
                .check();
        cluster.get(all(), "/log")
                .status(200)
                .json("entries", hasSize(lessThanOrEqualTo(MAX_ENTRIES)))
                .eventually(WINDOW)
                .hint(
                        "After " + WRITES + " writes, every node's GET /log must hold at most " + MAX_ENTRIES
                                + " entries.",
                        "Once a snapshot is saved, drop the log entries it covers, on disk too: the log then starts "
                                + "right after last-included-index.",
                        "GET /log lists only the entries still held.")
                .check();
    }

    @Test
    @DisplayName("State Survives Restart From Snapshot")
    @DependsOn("Log Stays Bounded")
    void stateSurvivesRestartFromSnapshot(Cluster cluster) {
        Map<String, String> expected = written != null ? written : writeMany(cluster);
        Node[] everyone = cluster.members().toArray(Node[]::new);
        cluster.kill(everyone);
        cluster.start(everyone);
        Node leader = leader(cluster).node();
        new Kv(cluster, leader)
                .expectAll(
                        expected,
                        "After all five nodes were killed and restarted, a key written before their snapshots is "
                                + "missing or wrong on the leader " + leader.name() + ".",
                        "On start, load the latest snapshot into the state machine first, set lastApplied (and the "
                                + "commit index) to its last-included-index, then replay the log entries after it.",
                        "Save a snapshot atomically (temporary file, fsync, rename) before dropping the entries it "
                                + "covers: a crash in between must leave one of the two complete.");
    }

    @Test
    @DisplayName("Far-Behind Follower Installs Snapshot")
    void farBehindFollowerInstallsSnapshot(Cluster cluster) {
        Leader leader = leader(cluster);
        Node behind = cluster.randomOther(leader.node());
        List<Node> rest = cluster.othersThan(behind);
        long cutAt = lastIndex(cluster, behind);
        cluster.partitionNow(List.of(behind), rest);
        Map<String, String> missed = writeUntilCompacted(cluster, leader.node(), rest, cutAt, behind);
        cluster.heal();
        Node current = RaftView.awaitAgreement(
                        cluster,
                        rest,
                        WINDOW,
                        "After the partition healed, " + Nodes.names(rest) + " did not agree on one leader.",
                        LEADER_CAUSES)
                .node();
        cluster.get(node(behind), "/log/snapshot")
                .status(200)
                .json("last-included-index", JsonMatchers.above(cutAt))
                .json("last-included-term", JsonMatchers.above(0))
                .eventually(WINDOW)
                .hint(
                        behind.name() + " was cut off with its log ending at index " + cutAt + "; every other node "
                                + "has compacted past it, so only a snapshot can catch it up: its snapshot must move "
                                + "past " + cutAt + ", with the term of its last included entry (at least 1).",
                        "When a follower needs entries the leader has compacted away (its nextIndex is at or below "
                                + "the leader's last-included-index), send InstallSnapshot: the state, "
                                + "last-included-index and last-included-term (Raft §7).",
                        "A follower installs a snapshot that goes past its log even though it holds none of those "
                                + "entries: it discards its log and takes the snapshot's state.",
                        "If it holds the entry at last-included-index with the same term, it keeps the entries after "
                                + "it.",
                        "Keep last-included-term with the snapshot, on disk and in InstallSnapshot: the next "
                                + "AppendEntries checks it, and elections compare it when no entry follows the "
                                + "snapshot.")
                .check();
        RaftLogs.awaitAgreement(
                cluster,
                current,
                cluster.members(),
                WINDOW,
                behind.name() + " installed a snapshot but its log did not catch up with the leader's.",
                "After InstallSnapshot the leader sets nextIndex to last-included-index + 1: its next AppendEntries "
                        + "has prev-log-index = last-included-index and prev-log-term = last-included-term.",
                "Both sides keep last-included-term with the snapshot and use it in the consistency check when "
                        + "prev-log-index is the snapshot's last index.",
                "Then the follower's commit index follows leader-commit as in stage 5.");
        Map<String, String> fresh = leadFromBehind(cluster, current, behind);
        Map<String, String> expected = new LinkedHashMap<>(missed);
        expected.putAll(fresh);
        new Kv(cluster, behind)
                .expectAll(
                        expected,
                        behind.name() + ", now leading, does not serve a value written while it was cut off (it "
                                + "came to it in a snapshot).",
                        "Installing a snapshot replaces the state machine's whole state with the snapshot's, and "
                                + "lastApplied with its last-included-index.",
                        "Entries after the snapshot are applied on top of it, in order, as they commit.");
        cluster.start(
                cluster.members().stream().filter(n -> !n.state().isLive()).toArray(Node[]::new));
    }

    @Test
    @DisplayName("Linearizable Under Faults With Compaction")
    void linearizableUnderFaultsWithCompaction(Cluster cluster) {
        leader(cluster);
        Clients.checkLinearizable(
                cluster,
                "while a follower missed a snapshot point and the leader crashed",
                MIN_OK,
                clients -> {
                    Leader leader = leader(cluster);
                    Node follower = cluster.randomOther(leader.node());
                    long downAt = lastIndex(cluster, follower);
                    cluster.kill(follower);
                    writeUntilCompacted(cluster, leader.node(), cluster.othersThan(follower), downAt, follower);
                    cluster.start(follower);
                    Leader crashed = leader(cluster);
                    cluster.kill(crashed.node());
                    RaftView.awaitNewLeader(cluster, crashed);
                    cluster.start(crashed.node());
                    clients.calm();
                },
                "Look in the timeline for the highlighted operations, the node that served them, and the fault "
                        + "before them.",
                "A follower that installs a snapshot while clients write must neither apply again an entry the "
                        + "snapshot covers nor skip one after it.",
                "A node restarting from its snapshot must apply the log after it before it serves, as in stage 5.");
    }

    // ---------------------------------------------------------------- steps

    private static Leader leader(Cluster cluster) {
        return RaftView.awaitAgreement(
                cluster, WINDOW, "The live nodes did not agree on one leader within 3 s.", LEADER_CAUSES);
    }

    /** The 3,000 writes of "Log Stays Bounded", 10 in flight, to the leader; returns them. */
    private static Map<String, String> writeMany(Cluster cluster) {
        Node leader = leader(cluster).node();
        Map<String, String> values = new Values(cluster.random()).fresh("compacted", WRITES);
        new Kv(cluster, leader)
                .putAll(
                        values,
                        "The leader " + leader.name() + " must commit every write, as in stage 5, while nodes take "
                                + "snapshots.",
                        "Taking a snapshot must not block the log for long: copy the state (or write it from a "
                                + "consistent view) and keep serving.");
        return values;
    }

    /** Where {@code node}'s log ends (its last entry, or its snapshot when no entry follows it). */
    private static long lastIndex(Cluster cluster, Node node) {
        RaftLogs.CompactedLog log = RaftLogs.readCompacted(cluster, node);
        if (log.problem() != null) {
            throw Failure.of("GET /log and GET /log/snapshot on " + node.name())
                    .expected("200 with the entries after the snapshot, and the snapshot's last-included-index")
                    .found(log.problem())
                    .hint(
                            "Both must answer on every node at any time.",
                            "GET /log: {\"entries\": [...], \"commit-index\", \"last-applied\"}; GET /log/snapshot: "
                                    + "{\"last-included-index\", \"last-included-term\"}.")
                    .error();
        }
        return log.lastIndex();
    }

    /**
     * Writes batches of fresh keys to {@code leader} until every node of {@code watched} has a
     * snapshot past {@code index}, where {@code away}'s log ends; returns what was written.
     */
    private static Map<String, String> writeUntilCompacted(
            Cluster cluster, Node leader, List<Node> watched, long index, Node away) {
        Kv kv = new Kv(cluster, leader);
        Values values = new Values(cluster.random());
        Map<String, String> written = new LinkedHashMap<>();
        while (written.size() < MAX_COMPACTION_WRITES && !compactedPast(cluster, watched, index)) {
            Map<String, String> batch = values.fresh("behind-" + written.size(), BATCH);
            kv.putAll(
                    batch,
                    "With " + away.name() + " away, the other four must commit every write.",
                    "Four of five nodes make a majority.");
            written.putAll(batch);
        }
        cluster.get(nodes(watched.toArray(Node[]::new)), "/log/snapshot")
                .status(200)
                .json("last-included-index", JsonMatchers.above(index))
                .eventually(WINDOW)
                .hint(
                        "After " + written.size() + " more writes, " + Nodes.names(watched) + " had not all "
                                + "compacted past index " + index + ", where " + away.name() + "'s log ends.",
                        "Snapshot every few hundred applied entries, on every node, so that no log grows past "
                                + MAX_ENTRIES + " entries.")
                .check();
        return written;
    }

    /** Whether every node of {@code watched} answers a last-included-index above {@code index} now. */
    private static boolean compactedPast(Cluster cluster, List<Node> watched, long index) {
        for (Response answer : cluster.ask(watched, SNAPSHOT)) {
            if (answer.jsonLong("last-included-index").orElse(0L) <= index) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes {@code behind} the only node that can win an election, and waits until it leads: with
     * two nodes cut off, three writes commit on {@code leader}, one more node and {@code behind};
     * then {@code leader} and that node are killed and the partition heals, so the two others (whose
     * logs lack those writes) can vote only for {@code behind}. Returns the three writes.
     */
    private static Map<String, String> leadFromBehind(Cluster cluster, Node leader, Node behind) {
        List<Node> others = new ArrayList<>(cluster.othersThan(leader, behind));
        Node alsoKilled = others.remove(cluster.random().nextInt(others.size()));
        cluster.partitionNow(others, List.of(leader, alsoKilled, behind));
        Map<String, String> fresh = new Kv(cluster, leader)
                .putFresh(
                        new Values(cluster.random()),
                        "lead",
                        3,
                        "With " + Nodes.names(others) + " cut off, " + leader.name() + ", " + alsoKilled.name()
                                + " and " + behind.name() + " (which caught up) are a majority: writes must commit.",
                        behind.name() + " must accept AppendEntries right after its snapshot as after any entry.");
        cluster.kill(leader, alsoKilled);
        cluster.heal();
        cluster.get(node(behind), "/cluster/info")
                .status(200)
                .json("role", "leader")
                .eventually(WINDOW)
                .hint(
                        "Only " + behind.name() + " holds the last three writes (acknowledged by it, "
                                + leader.name() + " and " + alsoKilled.name() + ", both killed since): it must "
                                + "become leader.",
                        LEADER_CAUSES[1],
                        "The two others vote for it: its log is more up to date than theirs.")
                .check();
        return fresh;
    }
}
