package io.clstr.junit.stages;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Its second test fails: the third and fourth must be reported skipped because of it. */
@ClstrCluster(nodes = 1, healthTimeoutMillis = 60_000)
@Stage(key = "failing", title = "Fails In The Middle")
public class FailingStage {

    @Test
    @DisplayName("Health Answers")
    void first(Cluster cluster, Node only) {
        cluster.get(node(only), "/health").status(200).check();
    }

    @Test
    @DisplayName("Missing Data Is Found")
    void second(Cluster cluster, Node only) {
        cluster.get(node(only), "/data/missing")
                .status(200)
                .hint("Write the file before reading it.")
                .check();
    }

    @Test
    @DisplayName("Never Runs")
    void third() {
        throw new AssertionError("must not run");
    }

    @Test
    @DisplayName("Never Runs Either")
    void fourth() {
        throw new AssertionError("must not run");
    }
}
