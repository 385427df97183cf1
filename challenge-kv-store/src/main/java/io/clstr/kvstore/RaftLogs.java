package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * Reads {@code GET /log} as Raft's replicated log: the (index, term) of every entry a node holds,
 * its commit index and last applied index. Used to check that logs agree and catch up.
 */
final class RaftLogs {

    private static final Request LOG = Request.get("/log");

    private RaftLogs() {}

    /** One entry's place in the log. */
    record Position(long index, long term) {}

    /**
     * What one node's {@code GET /log} said.
     *
     * @param node        the node asked
     * @param response    its answer
     * @param entries     the entries' positions in log order, or null when the answer is unusable
     * @param commitIndex {@code commit-index}, or null
     * @param problem     why the answer is unusable, or null
     */
    record NodeLog(Node node, Response response, List<Position> entries, Long commitIndex, String problem) {

        static NodeLog of(Node node, Response response) {
            if (response.error() != null || response.status() != 200) {
                return unusable(
                        node,
                        response,
                        "answered "
                                + (response.error() != null
                                        ? response.error()
                                        : response.status() + " "
                                                + response.body().strip()));
            }
            Object entries;
            Object commit;
            try {
                entries = response.json("entries");
                commit = response.json("commit-index");
            } catch (AssertionError notJson) {
                return unusable(node, response, "answered with a body that is not JSON");
            }
            if (!(entries instanceof List<?> list)) {
                return unusable(node, response, "has no \"entries\" list");
            }
            if (!(commit instanceof Number c)) {
                return unusable(node, response, "has no numeric \"commit-index\"");
            }
            List<Position> positions = new ArrayList<>(list.size());
            for (Object e : list) {
                if (!(e instanceof Map<?, ?> m)
                        || !(m.get("index") instanceof Number i)
                        || !(m.get("term") instanceof Number t)) {
                    return unusable(node, response, "has an entry without a numeric index and term: " + e);
                }
                positions.add(new Position(i.longValue(), t.longValue()));
            }
            return new NodeLog(node, response, List.copyOf(positions), c.longValue(), null);
        }

        private static NodeLog unusable(Node node, Response response, String problem) {
            return new NodeLog(node, response, null, null, problem);
        }

        boolean readable() {
            return problem == null;
        }

        long lastIndex() {
            return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).index();
        }

        /** The term of the entry at {@code index}, or -1 when this log does not hold it. */
        long termAt(long index) {
            for (Position p : entries) {
                if (p.index() == index) {
                    return p.term();
                }
            }
            return -1;
        }

        /** Why this log differs from {@code leader}'s, in words, or null when it holds the same entries and has committed as far. */
        String differenceFrom(NodeLog leader) {
            if (!readable()) {
                return problem;
            }
            int common = Math.min(entries.size(), leader.entries.size());
            for (int i = 0; i < common; i++) {
                Position mine = entries.get(i);
                Position theirs = leader.entries.get(i);
                if (!mine.equals(theirs)) {
                    return "entry " + (i + 1) + " is (index " + mine.index() + ", term " + mine.term()
                            + ") where the leader's is (index " + theirs.index() + ", term " + theirs.term() + ")";
                }
            }
            if (entries.size() < leader.entries.size()) {
                return "holds " + entries.size() + " entries, the leader " + leader.entries.size();
            }
            if (entries.size() > leader.entries.size()) {
                return "holds " + (entries.size() - leader.entries.size()) + " entries past the leader's last (index "
                        + leader.lastIndex() + ")";
            }
            if (commitIndex < leader.commitIndex) {
                return "commit-index " + commitIndex + " is behind the leader's " + leader.commitIndex;
            }
            return null;
        }

        /** The log in short: entries as runs of one term ({@code 1-20@t2}), and the commit index. */
        String summary() {
            if (!readable()) {
                return node.name() + ": " + problem;
            }
            List<String> runs = new ArrayList<>();
            int start = 0;
            for (int i = 1; i <= entries.size(); i++) {
                if (i == entries.size()
                        || entries.get(i).term() != entries.get(start).term()) {
                    Position first = entries.get(start);
                    Position last = entries.get(i - 1);
                    runs.add((first.index() == last.index() ? "" + first.index() : first.index() + "-" + last.index())
                            + "@t" + first.term());
                    start = i;
                }
            }
            return node.name() + ": " + entries.size() + " entries [" + String.join(", ", runs) + "], commit-index "
                    + commitIndex;
        }
    }

    /** Asks {@code node} for its log. */
    static NodeLog read(Cluster cluster, Node node) {
        return NodeLog.of(node, cluster.send(node, LOG));
    }

    /**
     * Waits (up to {@code within}, polling every 100 ms) until every live node holds exactly the
     * entries of {@code leader}'s log, by index and term, and has committed as far as the leader
     * had when asked; returns the leader's log of the last round.
     *
     * @throws AssertionFailedError with every node's last log in short and {@code hint}
     */
    static NodeLog awaitAgreement(Cluster cluster, Node leader, Duration within, String hint) {
        AtomicReference<List<String>> differences = new AtomicReference<>(List.of());
        AtomicReference<List<NodeLog>> last = new AtomicReference<>(List.of());
        AtomicReference<NodeLog> leaderLog = new AtomicReference<>();
        boolean agreed = Sampling.until(within, Duration.ofMillis(100), () -> {
            NodeLog reference = read(cluster, leader);
            List<NodeLog> logs = cluster.live().stream()
                    .filter(n -> n != leader)
                    .map(n -> read(cluster, n))
                    .toList();
            leaderLog.set(reference);
            last.set(logs);
            if (!reference.readable()) {
                differences.set(List.of("the leader " + reference.summary()));
                return false;
            }
            List<String> found = new ArrayList<>();
            for (NodeLog log : logs) {
                String difference = log.differenceFrom(reference);
                if (difference != null) {
                    found.add(log.node().name() + " " + difference);
                }
            }
            differences.set(found);
            return found.isEmpty();
        });
        if (!agreed) {
            throw new AssertionFailedError("GET /log on every live node, for " + within.toSeconds() + " s\n"
                    + "Expected: every node holds the entries of the leader " + leader.name() + " (same index and "
                    + "term, in order) and a commit-index at least the leader's\n"
                    + "Still not so after " + within.toSeconds() + " s: " + String.join("; ", differences.get()) + "\n"
                    + "The last logs:\n  " + leaderLog.get().summary() + " (leader)\n  "
                    + last.get().stream().map(NodeLog::summary).collect(Collectors.joining("\n  "))
                    + "\nHint: " + hint);
        }
        return leaderLog.get();
    }
}
