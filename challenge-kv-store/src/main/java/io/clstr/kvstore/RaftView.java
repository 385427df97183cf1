package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.CheckResult;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * Reads {@code GET /cluster/info} as Raft state: who claims to lead in which term, and whom each
 * node names as its leader. Used where a property is about the whole cluster over time (one
 * leader per term) rather than about one answer.
 */
final class RaftView {

    private static final Request CLUSTER_INFO = Request.get("/cluster/info");

    private RaftView() {}

    /**
     * What one node said: its role, term and leader, or why it said nothing usable.
     *
     * @param node     the node asked
     * @param response its answer
     * @param role     {@code role}, or null
     * @param term     {@code term}, or null when absent or not a number
     * @param leader   {@code leader}, or null when absent or null
     */
    record Info(Node node, Response response, String role, Long term, String leader) {

        static Info of(Node node, Response response) {
            if (response.status() != 200 || response.error() != null) {
                return new Info(node, response, null, null, null);
            }
            return new Info(
                    node,
                    response,
                    response.jsonText("role").orElse(null),
                    response.jsonLong("term").orElse(null),
                    response.jsonText("leader").orElse(null));
        }

        /** True when the node answered 200 with a usable role and term. */
        boolean readable() {
            return role != null && term != null;
        }

        boolean isLeader() {
            return "leader".equals(role);
        }

        @Override
        public String toString() {
            return node.name() + " (" + node.addr() + "): "
                    + (response.error() != null
                            ? response.error()
                            : response.status() + " " + response.body().strip());
        }
    }

    /** A leader and the term it reported. */
    record Leader(Node node, long term) {

        /** The node that answered {@code result}'s {@code /cluster/info} check, with the term it gave. */
        static Leader of(CheckResult result) {
            Object term = result.response().json("term");
            return new Leader(result.node(), term instanceof Number n ? n.longValue() : 0);
        }
    }

    /** Asks every live node at once and returns their answers in node order. */
    static List<Info> snapshot(Cluster cluster) {
        List<Node> live = cluster.live();
        List<Response> answers = cluster.ask(live, CLUSTER_INFO);
        List<Info> infos = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            infos.add(Info.of(live.get(i), answers.get(i)));
        }
        return infos;
    }

    /**
     * Waits (up to {@code within}, polling every 100 ms) until every live node names the same
     * leader in the same term and that node says it leads; returns it with that term. Robust to leadership
     * moving while it waits: any agreement counts, not only one on the first leader seen.
     *
     * @throws AssertionFailedError with the last answers of every node and the hint
     */
    static Leader awaitAgreement(Cluster cluster, Duration within, String diagnosis, String... causes) {
        Poll.Outcome<List<Info>> outcome = Poll.every(Poll.DEFAULT_INTERVAL)
                .eventually(within, () -> snapshot(cluster), round -> agreement(round) != null);
        if (!outcome.held()) {
            throw Failure.of("GET /cluster/info on every live node, for " + within.toSeconds() + " s")
                    .expected("every node names the same leader in the same term, and that node says it is leader")
                    .found("still not so after " + within.toSeconds() + " s")
                    .lines("The last answers:", outcome.last())
                    .hint(diagnosis, causes)
                    .error();
        }
        return agreement(outcome.last());
    }

    /** The leader every answer agrees on (same leader, same term, and it says it leads), or null. */
    private static Leader agreement(List<Info> round) {
        if (round.isEmpty() || round.stream().anyMatch(i -> !i.readable() || i.leader() == null)) {
            return null;
        }
        Info first = round.get(0);
        boolean same = round.stream()
                .allMatch(i -> i.leader().equals(first.leader()) && i.term().equals(first.term()));
        if (!same) {
            return null;
        }
        return round.stream()
                .filter(i -> i.node().addr().equals(first.leader()) && i.isLeader())
                .map(i -> new Leader(i.node(), i.term()))
                .findFirst()
                .orElse(null);
    }

    /**
     * Who led each term, as the nodes told it: a node that answers {@code role: leader} in term
     * {@code t} claims term {@code t} for itself, and a node in term {@code t} that names a leader
     * gives term {@code t} to that leader. A term with two different leaders is a split brain.
     */
    static final class TermLedger {

        /** term → leader ADDR → who said so, in the order first seen. */
        private final Map<Long, Map<String, Set<String>>> claims = new TreeMap<>();

        /** Adds what these answers say. */
        void record(List<Info> round) {
            for (Info info : round) {
                if (!info.readable()) {
                    continue;
                }
                if (info.isLeader()) {
                    witness(info.term(), info.node().addr(), info.node().name() + " says it leads");
                }
                if (info.leader() != null) {
                    witness(info.term(), info.leader(), info.node().name() + " names it as leader");
                }
            }
        }

        private void witness(long term, String leader, String who) {
            claims.computeIfAbsent(term, t -> new LinkedHashMap<>())
                    .computeIfAbsent(leader, l -> new LinkedHashSet<>())
                    .add(who);
        }

        /** The first term with more than one leader, described in words; empty when there is none. */
        Optional<String> conflict() {
            return claims.entrySet().stream()
                    .filter(e -> e.getValue().size() > 1)
                    .findFirst()
                    .map(e -> "term " + e.getKey() + " had " + e.getValue().size() + " leaders: "
                            + e.getValue().entrySet().stream()
                                    .map(l -> l.getKey() + " (" + String.join(", ", l.getValue()) + ")")
                                    .collect(Collectors.joining("; ")));
        }

        /** How many terms were seen with a leader. */
        int termsWithLeader() {
            return claims.size();
        }
    }
}
