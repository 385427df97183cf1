package io.clstr.junit.stages;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.internal.ClusterAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Prints {@code HANGING <proxy routes>} and then waits until its JVM is stopped: for tests of what a dying JVM leaves. */
@ClstrCluster(nodes = 2, healthTimeoutMillis = 60_000)
@Stage(key = "hanging", title = "Hangs Until Stopped")
public class HangingStage {

    @Test
    void hang(Cluster cluster) throws InterruptedException {
        List<String> routes = new ArrayList<>();
        for (Node from : cluster.nodes()) {
            for (Node to : cluster.nodes()) {
                if (from != to) {
                    routes.add(ClusterAccess.fabric(cluster).route(from.name(), to.name()));
                }
            }
        }
        System.out.println("HANGING " + String.join(",", routes));
        new CountDownLatch(1).await();
    }
}
