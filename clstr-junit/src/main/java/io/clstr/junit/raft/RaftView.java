package io.clstr.junit.raft;

import static io.clstr.junit.check.Select.exactlyOne;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Nodes;
import io.clstr.junit.check.CheckResult;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.JsonMatchers;
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
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * Reads {@code GET /cluster/info} (the Raft contract every replicated challenge shares:
 * {@code {"id", "role", "term", "leader", "peers"}}) as Raft state: who claims to lead in which
 * term, and whom each node names as its leader. For steps that need the leader before they act
 * ({@link #awaitAgreement}, {@link #electedAfter}) and for properties about the whole cluster over
 * time ({@link TermLedger}: one leader per term).
 */
public final class RaftView {

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
    public record Info(Node node, Response response, String role, Long term, String leader) {

        public static Info of(Node node, Response response) {
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
        public boolean readable() {
            return role != null && term != null;
        }

        public boolean isLeader() {
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
    public record Leader(Node node, long term) {

        /** The node that answered {@code result}'s {@code /cluster/info} check, with the term it gave. */
        public static Leader of(CheckResult result) {
            Object term = result.response().json("term");
            return new Leader(result.node(), term instanceof Number n ? n.longValue() : 0);
        }
    }

    /** Asks every live node at once and returns their answers in node order. */
    public static List<Info> snapshot(Cluster cluster) {
        return snapshot(cluster, cluster.live());
    }

    /** Asks {@code nodes} at once (say, every node but a paused one) and returns their answers in that order. */
    public static List<Info> snapshot(Cluster cluster, List<? extends Node> nodes) {
        List<Response> answers = cluster.ask(nodes, CLUSTER_INFO);
        List<Info> infos = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            infos.add(Info.of(nodes.get(i), answers.get(i)));
        }
        return infos;
    }

    /** How long a leader is awaited: three of the longest election timeouts of the specs (1 s). */
    public static final Duration WINDOW = Duration.ofSeconds(3);

    private static final String[] ELECTION_CAUSES = {
        "Elect a leader as in Raft: randomised election timeouts, votes for up-to-date logs, heartbeats.",
        "Answer GET /cluster/info with {\"id\", \"role\", \"term\", \"leader\", \"peers\"}, id being your ADDR."
    };

    /** {@link #awaitAgreement} for {@link #WINDOW}, with the hint every Raft challenge gives. */
    public static Leader awaitLeader(Cluster cluster) {
        return awaitAgreement(
                cluster, WINDOW, "The live nodes did not agree on one leader within 3 s.", ELECTION_CAUSES);
    }

    /**
     * {@link #electedAfter} among every node but {@code old}'s, for {@link #WINDOW}: the leader
     * elected once {@code old} was killed or cut off.
     */
    public static Leader awaitNewLeader(Cluster cluster, Leader old) {
        return electedAfter(cluster, old, cluster.othersThan(old.node()), WINDOW, ELECTION_CAUSES);
    }

    /**
     * Waits (up to {@code within}, polling every 100 ms) until every live node names the same
     * leader in the same term and that node says it leads; returns it with that term. Robust to leadership
     * moving while it waits: any agreement counts, not only one on the first leader seen.
     *
     * @throws AssertionFailedError with the last answers of every node and the hint
     */
    public static Leader awaitAgreement(Cluster cluster, Duration within, String diagnosis, String... causes) {
        return awaitAgreement("every live node", () -> snapshot(cluster), within, diagnosis, causes);
    }

    /**
     * {@link #awaitAgreement(Cluster, Duration, String, String...)} among {@code members} only: for
     * clusters whose membership changes, where live nodes outside the configuration (spares not
     * yet added, servers removed) know no leader and are not asked.
     */
    public static Leader awaitAgreement(
            Cluster cluster, List<? extends Node> members, Duration within, String diagnosis, String... causes) {
        List<Node> asked = List.copyOf(members);
        return awaitAgreement(Nodes.names(asked), () -> snapshot(cluster, asked), within, diagnosis, causes);
    }

    private static Leader awaitAgreement(
            String who, Supplier<List<Info>> ask, Duration within, String diagnosis, String... causes) {
        Poll.Outcome<List<Info>> outcome =
                Poll.every(Poll.DEFAULT_INTERVAL).eventually(within, ask, round -> agreement(round) != null);
        if (!outcome.held()) {
            throw Failure.of("GET /cluster/info on " + who + ", for " + within.toSeconds() + " s")
                    .expected("every node names the same leader in the same term, and that node says it is leader")
                    .found("still not so after " + within.toSeconds() + " s")
                    .lines("The last answers:", outcome.last())
                    .hint(diagnosis, causes)
                    .error();
        }
        return agreement(outcome.last());
    }

    /**
     * Waits (up to {@code within}) until exactly one of {@code candidates} says it leads, in a
     * term above {@code old}'s, and returns it with that term: the leader elected after {@code old}
     * was killed or cut off.
     *
     * @param causes the likely causes the hint lists after the diagnosis
     */
    public static Leader electedAfter(
            Cluster cluster, Leader old, List<Node> candidates, Duration within, String... causes) {
        return Leader.of(cluster.get(exactlyOne(), "/cluster/info")
                .status(200)
                .json("role", "leader")
                .json("id", is(in(candidates.stream().map(Node::addr).toList())))
                .json("term", JsonMatchers.above(old.term()))
                .eventually(within)
                .hint(
                        "Without " + old.node().name() + " (the leader of term " + old.term() + "), none of "
                                + Nodes.names(candidates) + " became leader in a higher term within "
                                + within.toSeconds() + " s.",
                        causes)
                .check());
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
    public static final class TermLedger {

        /** term → leader ADDR → who said so, in the order first seen. */
        private final Map<Long, Map<String, Set<String>>> claims = new TreeMap<>();

        /** Adds what these answers say. */
        public void record(List<Info> round) {
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
        public Optional<String> conflict() {
            return claims.entrySet().stream()
                    .filter(e -> e.getValue().size() > 1)
                    .findFirst()
                    .map(e -> "term " + e.getKey() + " had " + e.getValue().size() + " leaders: "
                            + e.getValue().entrySet().stream()
                                    .map(l -> l.getKey() + " (" + String.join(", ", l.getValue()) + ")")
                                    .collect(Collectors.joining("; ")));
        }

        /** How many terms were seen with a leader. */
        public int termsWithLeader() {
            return claims.size();
        }
    }
}
