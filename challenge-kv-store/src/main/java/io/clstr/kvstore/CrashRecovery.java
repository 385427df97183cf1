package io.clstr.kvstore;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Node.Restart;
import io.clstr.junit.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 3: every acknowledged write survives a crash (SIGKILL, then a start with the same
 * DATA_DIR). The scenarios of {@link Persistence}, with SIGKILL instead of SIGTERM.
 */
@ClstrCluster(nodes = 1, requestTimeoutMillis = 1000)
@Stage(key = "crash-recovery", title = "Data Survives SIGKILL")
public class CrashRecovery {

    @Test
    @DisplayName("Data Survives a Hard Crash")
    void dataSurvivesHardCrash(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.KILL).putsOverwritesAndDeletesSurvive();
    }

    @Test
    @DisplayName("All Data Survives Repeated Hard Crashes")
    void allDataSurvivesRepeatedHardCrashes(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.KILL).repeatedRestartsKeepEverything();
    }

    @Test
    @DisplayName("Rapid Sequential Writes Survive a Hard Crash")
    void rapidSequentialWritesSurviveHardCrash(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.KILL).sequentialWritesSurvive(500, 1000);
    }

    @Test
    @DisplayName("Rapid Concurrent Writes Survive a Hard Crash")
    void rapidConcurrentWritesSurviveHardCrash(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.KILL).concurrentWritesSurvive(1000, 100);
    }

    @Test
    @DisplayName("CLEAR Survives a Hard Crash")
    void clearSurvivesHardCrash(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.KILL).clearSurvives();
    }
}
