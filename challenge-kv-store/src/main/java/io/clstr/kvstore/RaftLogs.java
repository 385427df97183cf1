package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Nodes;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/**
 * Reads {@code GET /log} as Raft's replicated log: the (index, term) of every entry a node holds,
 * its commit index and last applied index; from stage 6 on, with {@code GET /log/snapshot}, the
 * last index its snapshot covers. Used to check that logs agree and catch up.
 */
final class RaftLogs {

    private static final Request LOG = Request.get("/log");
    private static final Request SNAPSHOT = Request.get("/log/snapshot");

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
            if (!response.isJson()) {
                return unusable(node, response, "answered with a body that is not JSON");
            }
            Object entries = response.jsonValue("entries").orElse(null);
            Long commit = response.jsonLong("commit-index").orElse(null);
            if (!(entries instanceof List<?> list)) {
                return unusable(node, response, "has no \"entries\" list");
            }
            if (commit == null) {
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
            return new NodeLog(node, response, List.copyOf(positions), commit, null);
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

    /**
     * A log that may be compacted: the entries after the node's snapshot ({@code GET /log}) and the
     * last index that snapshot covers ({@code GET /log/snapshot}), so that the log ends at the
     * later of its last entry and its snapshot.
     *
     * @param log           the entries after the snapshot, as read
     * @param snapshotIndex {@code last-included-index}, or null when the answer is unusable
     * @param snapshot      the answer to {@code GET /log/snapshot}
     */
    record CompactedLog(NodeLog log, Long snapshotIndex, Response snapshot) {

        static CompactedLog of(NodeLog log, Response snapshot) {
            Long index = snapshot.status() == 200
                    ? snapshot.jsonLong("last-included-index").orElse(null)
                    : null;
            return new CompactedLog(log, index, snapshot);
        }

        /** Why this log cannot be compared, or null when it can. */
        String problem() {
            if (!log.readable()) {
                return log.problem();
            }
            if (snapshotIndex == null) {
                return "GET /log/snapshot answered "
                        + (snapshot.error() != null
                                ? snapshot.error()
                                : snapshot.status() + " " + snapshot.body().strip()
                                        + " (expected 200 with a numeric \"last-included-index\")");
            }
            if (!log.entries().isEmpty() && log.entries().get(0).index() > snapshotIndex + 1) {
                return "its log starts at index " + log.entries().get(0).index() + " but its snapshot ends at "
                        + snapshotIndex + ": the entries between are missing";
            }
            return null;
        }

        /** The index of the last entry this node holds, in its log or its snapshot. */
        long lastIndex() {
            return Math.max(snapshotIndex, log.lastIndex());
        }

        /**
         * Why this log differs from {@code leader}'s, or null when it agrees: every index both hold
         * has the same term, it ends where the leader's ends, and it has committed as far.
         */
        String differenceFrom(CompactedLog leader) {
            String problem = problem();
            if (problem != null) {
                return problem;
            }
            Map<Long, Long> theirs = new HashMap<>();
            leader.log().entries().forEach(p -> theirs.put(p.index(), p.term()));
            for (Position mine : log.entries()) {
                Long term = theirs.get(mine.index());
                if (term != null && term != mine.term()) {
                    return "entry " + mine.index() + " has term " + mine.term() + " where the leader's has term "
                            + term;
                }
            }
            if (lastIndex() < leader.lastIndex()) {
                return "ends at index " + lastIndex() + " (snapshot up to " + snapshotIndex + "), the leader at "
                        + leader.lastIndex();
            }
            if (lastIndex() > leader.lastIndex()) {
                return "holds entries past the leader's last (index " + leader.lastIndex() + "), up to " + lastIndex();
            }
            if (log.commitIndex() < leader.log().commitIndex()) {
                return "commit-index " + log.commitIndex() + " is behind the leader's "
                        + leader.log().commitIndex();
            }
            return null;
        }

        String summary() {
            return log.summary() + (snapshotIndex != null ? ", snapshot up to index " + snapshotIndex : "");
        }
    }

    /** Asks {@code node} for its log. */
    static NodeLog read(Cluster cluster, Node node) {
        return NodeLog.of(node, cluster.send(node, LOG));
    }

    /** The logs of one round: the leader's first, then every other live node's. */
    private record Round(NodeLog leader, List<NodeLog> others, List<String> differences) {

        static Round read(Cluster cluster, Node leader) {
            List<Node> others = cluster.live().stream().filter(n -> n != leader).toList();
            List<Node> asked = new ArrayList<>();
            asked.add(leader);
            asked.addAll(others);
            List<Response> answers = cluster.ask(asked, LOG);
            NodeLog reference = NodeLog.of(leader, answers.get(0));
            List<NodeLog> logs = new ArrayList<>();
            for (int i = 1; i < answers.size(); i++) {
                logs.add(NodeLog.of(asked.get(i), answers.get(i)));
            }
            List<String> differences = new ArrayList<>();
            if (!reference.readable()) {
                differences.add("the leader " + reference.summary());
            } else {
                for (NodeLog log : logs) {
                    String difference = log.differenceFrom(reference);
                    if (difference != null) {
                        differences.add(log.node().name() + " " + difference);
                    }
                }
            }
            return new Round(reference, List.copyOf(logs), List.copyOf(differences));
        }

        boolean agreed() {
            return differences.isEmpty();
        }
    }

    /** The compacted logs of {@code nodes}, asked at once; the leader's is the first. */
    private record CompactedRound(CompactedLog leader, List<CompactedLog> others, List<String> differences) {

        static CompactedRound read(Cluster cluster, Node leader, List<Node> among) {
            List<Node> asked = new ArrayList<>();
            asked.add(leader);
            among.stream().filter(n -> n != leader).forEach(asked::add);
            List<Response> logs = cluster.ask(asked, LOG);
            List<Response> snapshots = cluster.ask(asked, SNAPSHOT);
            List<CompactedLog> read = new ArrayList<>();
            for (int i = 0; i < asked.size(); i++) {
                read.add(CompactedLog.of(NodeLog.of(asked.get(i), logs.get(i)), snapshots.get(i)));
            }
            CompactedLog reference = read.get(0);
            List<CompactedLog> others = read.subList(1, read.size());
            List<String> differences = new ArrayList<>();
            if (reference.problem() != null) {
                differences.add("the leader " + leader.name() + ": " + reference.problem());
            } else {
                for (CompactedLog log : others) {
                    String difference = log.differenceFrom(reference);
                    if (difference != null) {
                        differences.add(log.log().node().name() + " " + difference);
                    }
                }
            }
            return new CompactedRound(reference, List.copyOf(others), List.copyOf(differences));
        }
    }

    /**
     * For logs that may be compacted (stages 6–8): waits (up to {@code within}, polling every 100
     * ms) until every node of {@code among} agrees with {@code leader}'s log, each node's log being
     * its snapshot and the entries after it. Agreeing means: where both hold an entry it has the same
     * term, the node's log ends where the leader's ends (in its entries or its snapshot), and its
     * commit index is at least the leader's. Nodes compact at different points, so entries a node
     * holds only in its snapshot are not compared. Returns the leader's log of the last round.
     *
     * @throws AssertionFailedError with every node's last log in short and the hint
     */
    static CompactedLog awaitAgreement(
            Cluster cluster, Node leader, List<Node> among, Duration within, String diagnosis, String... causes) {
        Poll.Outcome<CompactedRound> outcome = Poll.every(Poll.DEFAULT_INTERVAL)
                .eventually(within, () -> CompactedRound.read(cluster, leader, among), round -> round.differences()
                        .isEmpty());
        CompactedRound last = outcome.last();
        if (!outcome.held()) {
            throw disagreement(
                    Failure.of("GET /log and GET /log/snapshot on " + Nodes.names(among) + ", for " + within.toSeconds()
                                    + " s")
                            .expected("every node's log (its snapshot, then its entries) agrees with the leader "
                                    + leader.name() + "'s: same term at every index both hold, the same last index, "
                                    + "and a commit-index at least the leader's"),
                    within,
                    last.differences(),
                    last.leader().summary(),
                    last.others().stream().map(CompactedLog::summary).toList(),
                    diagnosis,
                    causes);
        }
        return last.leader();
    }

    /** Asks {@code node} for its log and its snapshot's last index. */
    static CompactedLog readCompacted(Cluster cluster, Node node) {
        return CompactedLog.of(read(cluster, node), cluster.send(node, SNAPSHOT));
    }

    /**
     * Waits (up to {@code within}, polling every 100 ms) until every live node holds exactly the
     * entries of {@code leader}'s log, by index and term, and has committed as far as the leader
     * had when asked; returns the leader's log of the last round.
     *
     * @throws AssertionFailedError with every node's last log in short and the hint
     */
    static NodeLog awaitAgreement(Cluster cluster, Node leader, Duration within, String diagnosis, String... causes) {
        Poll.Outcome<Round> outcome =
                Poll.every(Poll.DEFAULT_INTERVAL).eventually(within, () -> Round.read(cluster, leader), Round::agreed);
        Round last = outcome.last();
        if (!outcome.held()) {
            throw disagreement(
                    Failure.of("GET /log on every live node, for " + within.toSeconds() + " s")
                            .expected("every node holds the entries of the leader " + leader.name()
                                    + " (same index and term, in order) and a commit-index at least the leader's"),
                    within,
                    last.differences(),
                    last.leader().summary(),
                    last.others().stream().map(NodeLog::summary).toList(),
                    diagnosis,
                    causes);
        }
        return last.leader();
    }

    /** The failure of a wait for agreement: what differed, then every node's log in short, then the hint. */
    private static AssertionFailedError disagreement(
            Failure failure,
            Duration within,
            List<String> differences,
            String leaderLog,
            List<String> otherLogs,
            String diagnosis,
            String... causes) {
        List<String> logs = new ArrayList<>();
        logs.add(leaderLog + " (leader)");
        logs.addAll(otherLogs);
        return failure.found("still not so after " + within.toSeconds() + " s: " + String.join("; ", differences))
                .lines("The last logs:", logs)
                .hint(diagnosis, causes)
                .error();
    }
}
