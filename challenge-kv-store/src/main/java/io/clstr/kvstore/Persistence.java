package io.clstr.kvstore;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Node.Restart;
import io.clstr.junit.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 2: data survives graceful restarts (SIGTERM, then a start with the same DATA_DIR).
 * Requests time out after 1 s, as in every stage with restarts.
 */
@ClstrCluster(nodes = 1, requestTimeoutMillis = 1000)
@Stage(key = "persistence", title = "Data Survives SIGTERM")
public class Persistence {

    @Test
    @DisplayName("Data Survives a Graceful Restart")
    void dataSurvivesGracefulRestart(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.STOP).putsOverwritesAndDeletesSurvive();
    }

    @Test
    @DisplayName("All Data Survives Repeated Graceful Restarts")
    void allDataSurvivesRepeatedGracefulRestarts(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.STOP).repeatedRestartsKeepEverything();
    }

    @Test
    @DisplayName("Rapid Sequential Writes Survive a Graceful Restart")
    void rapidSequentialWritesSurviveGracefulRestart(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.STOP).sequentialWritesSurvive(500, 1000);
    }

    @Test
    @DisplayName("Rapid Concurrent Writes Survive a Graceful Restart")
    void rapidConcurrentWritesSurviveGracefulRestart(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.STOP).concurrentWritesSurvive(1000, 100);
    }

    @Test
    @DisplayName("CLEAR Survives a Graceful Restart")
    void clearSurvivesGracefulRestart(Cluster cluster, Node n1) {
        new Durability(cluster, n1, Restart.STOP).clearSurvives();
    }
}
