package io.clstr.junit.internal.runtime;

import static io.clstr.junit.internal.runtime.Fixture.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.Cluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's close ends what its nodes left running outside their process groups: the process
 * runtime's search for them ({@link ProcessRuntime#sweep()}) runs beside the rest of the teardown.
 */
class ClusterTeardownTest {

    @TempDir
    Path folder;

    @Test
    void closeEndsAProcessThatLeftItsNodesGroup() throws Exception {
        Cluster cluster = Cluster.builder(folder)
                .nodes(1)
                .run(Fixture.escapingRun())
                .healthTimeout(STARTUP)
                .start();
        long escaped;
        try {
            escaped = Fixture.escapedPid(folder);
            assertThat(Ps.isLive(escaped)).isTrue();
        } finally {
            cluster.close();
        }

        assertThat(Ps.isLive(escaped))
                .as("the process that left its node's group")
                .isFalse();
    }
}
