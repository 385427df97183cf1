package io.clstr.junit.stages;

import static io.clstr.junit.check.Select.all;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Stage;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Passes, with known waits: a 1 s consistently window, a 0.5 s settle, a 0.3 s hold and a stop, on two nodes. */
@ClstrCluster(nodes = 2, settleMillis = 500, healthTimeoutMillis = 60_000)
@Stage(key = "timed", title = "Known Waits")
public class TimedStage {
    /** The consistently window of the first test. */
    public static final Duration WINDOW = Duration.ofSeconds(1);

    @Test
    @DisplayName("Health Holds For A Second")
    void holds(Cluster cluster) {
        cluster.get(all(), "/health")
                .consistently(WINDOW)
                .status(200)
                .hint("every node answers /health")
                .check();
    }

    /** The hold of the second test. */
    public static final Duration HOLD = Duration.ofMillis(300);

    @Test
    @DisplayName("The Network Settles")
    void settles(Cluster cluster) {
        cluster.settle();
        cluster.hold(HOLD, "a known pause");
        cluster.hold(Duration.ofSeconds(-1), "a moment that has passed");
        cluster.node(2).stop();
    }
}
