package io.clstr.junit.stages;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Stage;
import org.junit.jupiter.api.Test;

/** Started with FAIL_HEALTH=1 by its test: the cluster never becomes ready, so no test runs. */
@ClstrCluster(nodes = 1, healthTimeoutMillis = 1500)
@Stage(key = "unhealthy", title = "Never Healthy")
public class UnhealthyStage {

    @Test
    void neverRuns() {
        throw new AssertionError("must not run: the cluster never became healthy");
    }
}
