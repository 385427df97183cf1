package io.clstr.junit.stages;

import static io.clstr.junit.check.Select.all;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Stage;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Passes, with known waits: a 1 s consistently window and a 0.5 s settle, on two nodes. */
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

    @Test
    @DisplayName("The Network Settles")
    void settles(Cluster cluster) {
        cluster.settle();
    }
}
