package io.clstr.junit.stages;

import static io.clstr.junit.check.Select.all;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Stage;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Started with PRINT_BYTES by its test: the node prints far more than a log keeps while the stage
 * runs, and the stage still passes, with the node's log file capped.
 */
@ClstrCluster(nodes = 1, healthTimeoutMillis = 60_000)
@Stage(key = "flood", title = "A Node That Prints Without End")
public class FloodStage {

    @Test
    @DisplayName("The Node Prints Everything And Still Answers")
    void printsEverything(Cluster cluster) {
        cluster.get(all(), "/printed")
                .status(200)
                .bodyMatches("done \\d+")
                .hint("the node did not finish printing")
                .eventually(Duration.ofSeconds(300)) // 2 GB through the log on a loaded 2-core machine
                .check();
    }
}
