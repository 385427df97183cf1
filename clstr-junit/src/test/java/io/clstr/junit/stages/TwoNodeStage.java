package io.clstr.junit.stages;

import static io.clstr.junit.check.Select.all;
import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Passes: shows injection, source order and one cluster for the whole class. */
@ClstrCluster(nodes = 2, healthTimeoutMillis = 60_000)
@Stage(key = "two-nodes", title = "Two Nodes Answer")
public class TwoNodeStage {
    public static final List<String> RAN = new ArrayList<>();
    public static final List<Long> PIDS = new ArrayList<>();
    public static Cluster seen;

    @Test
    @DisplayName("Every Node Is Healthy")
    void healthy(Cluster cluster) {
        seen = cluster;
        RAN.add("healthy");
        cluster.get(all(), "/health")
                .status(200)
                .hint("every node answers /health")
                .check();
        for (Node n : cluster.nodes()) {
            PIDS.add(Long.parseLong(
                    String.valueOf(cluster.send(n, Request.get("/env")).json("pid"))));
        }
    }

    @Test
    @DisplayName("Nodes Are Injected By Name")
    void injected(Node n2, Node n1, Cluster cluster) {
        RAN.add("injected");
        assertThat(cluster).isSameAs(seen);
        assertThat(n1).isSameAs(cluster.node(1));
        assertThat(n2).isSameAs(cluster.node(2));
    }

    @Test
    @DisplayName("A Test Written Last Runs Last")
    void aaa() {
        RAN.add("aaa");
    }
}
