package io.clstr.junit.internal.docker;

import io.clstr.junit.Cluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A docker run in a JVM of its own, for tests of what a dying JVM leaves behind: starts a {@code count}-node
 * cluster of test node containers, prints {@code ready <owner label>} once all are healthy, then waits to be
 * signalled.
 */
public final class DockerClusterMain {

    private DockerClusterMain() {}

    public static void main(String[] args) throws InterruptedException {
        Cluster cluster = Cluster.builder(Path.of(args[0]))
                .runtime(Cluster.RuntimeKind.DOCKER)
                .nodes(Integer.parseInt(args[1]))
                .healthTimeout(Duration.ofSeconds(60))
                .start();
        System.out.println(
                "ready " + RunLabels.create().owner() + " " + cluster.nodes().size());
        new CountDownLatch(1).await();
    }
}
