package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.NodeState;
import io.clstr.junit.Nodes;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The voting members of a stage whose tests change the configuration (stages 7 and 8), as the
 * tests changed it: the initial members until a change succeeds. Nodes outside it are spares not
 * yet started, or removed nodes (running or not).
 */
final class Members {

    /** Three times the longest election timeout (1 s), as in stage 4. */
    static final Duration WINDOW = Duration.ofSeconds(3);

    private static final String[] LEADER_CAUSES = {
        "Elections work as in stage 4, among the voting members of the configuration in force.",
        "The configuration in force is the latest one in the log, committed or not (dissertation §4.1).",
        "While joint (C_old,new), a candidate needs votes from a majority of C_old and a majority of C_new."
    };

    private final Cluster cluster;
    private final List<Node> current = new ArrayList<>();

    Members(Cluster cluster) {
        this.cluster = cluster;
        current.addAll(cluster.members());
    }

    /** The members now, in node order. */
    List<Node> now() {
        return List.copyOf(current);
    }

    int size() {
        return current.size();
    }

    /** The configuration became {@code members}. */
    void set(Collection<? extends Node> members) {
        current.clear();
        cluster.nodes().stream().filter(members::contains).forEach(current::add);
    }

    void add(Node node) {
        List<Node> next = new ArrayList<>(current);
        next.add(node);
        set(next);
    }

    void remove(Node node) {
        current.remove(node);
    }

    /** The leader every member names in one term, waiting up to 3 s. */
    Leader leader() {
        return RaftView.awaitAgreement(
                cluster,
                current,
                WINDOW,
                "The members " + Nodes.names(current) + " did not agree on one leader within 3 s.",
                LEADER_CAUSES);
    }

    /** A member other than {@code excluded}, chosen with the cluster's seed. */
    Node other(Node... excluded) {
        List<Node> others =
                current.stream().filter(n -> !List.of(excluded).contains(n)).toList();
        if (others.isEmpty()) {
            throw new IllegalStateException("no member is left once " + Nodes.names(List.of(excluded))
                    + " are excluded from " + Nodes.names(current));
        }
        return others.get(cluster.random().nextInt(others.size()));
    }

    /**
     * {@code count} nodes outside the configuration, running: spares not started yet first (in
     * node order), then removed nodes still running, then removed nodes that were stopped (chosen
     * with the cluster's seed); those not running are started.
     */
    List<Node> outsiders(int count) {
        List<Node> picked = new ArrayList<>();
        List<Node> outside =
                cluster.nodes().stream().filter(n -> !current.contains(n)).toList();
        outside.stream().filter(n -> n.state() == NodeState.NEW).limit(count).forEach(picked::add);
        pick(outside.stream().filter(n -> n.state().isLive()).toList(), count, picked);
        pick(
                outside.stream()
                        .filter(n -> n.state() != NodeState.NEW && !n.state().isLive())
                        .toList(),
                count,
                picked);
        if (picked.size() < count) {
            throw new IllegalStateException("only " + picked.size() + " nodes are outside " + Nodes.names(current));
        }
        List<Node> stopped = picked.stream().filter(n -> !n.state().isLive()).toList();
        if (!stopped.isEmpty()) {
            cluster.start(stopped.toArray(Node[]::new));
        }
        return picked;
    }

    private void pick(List<Node> from, int count, List<Node> picked) {
        List<Node> left = new ArrayList<>(from);
        while (picked.size() < count && !left.isEmpty()) {
            picked.add(left.remove(cluster.random().nextInt(left.size())));
        }
    }
}
