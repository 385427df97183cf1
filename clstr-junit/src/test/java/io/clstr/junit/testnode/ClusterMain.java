package io.clstr.junit.testnode;

import io.clstr.junit.internal.runtime.NodeSpec;
import io.clstr.junit.internal.runtime.PortLease;
import io.clstr.junit.internal.runtime.ProcessNode;
import io.clstr.junit.internal.runtime.ProcessRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * A clstr run in a JVM of its own, for tests of what a dying JVM leaves behind: starts {@code count}
 * {@link TestNode}s in {@code folder} through a {@link io.clstr.junit.internal.runtime.ProcessRuntime}, prints
 * {@code ready <pgid>,<pgid>…} once all are healthy, then waits to be killed.
 */
public final class ClusterMain {

    private ClusterMain() {}

    public static void main(String[] args) throws InterruptedException {
        Path folder = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        PortLease ports = PortLease.claim(count);
        ProcessRuntime runtime = new ProcessRuntime(folder, null, TestNodes.command(), (node, line) -> {});
        List<ProcessNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "n" + (i + 1);
            int port = ports.ports().get(i);
            Path data = runtime.freshDataDir(name);
            ProcessNode node = runtime.create(new NodeSpec(
                    name,
                    "127.0.0.1:" + port,
                    port,
                    data,
                    Map.of("ADDR", "127.0.0.1:" + port, "DATA_DIR", data.toString())));
            node.start();
            nodes.add(node);
        }
        for (ProcessNode node : nodes) {
            node.awaitHealthy(Duration.ofSeconds(60));
        }
        System.out.println("ready "
                + nodes.stream().map(n -> Long.toString(n.pgid().orElseThrow())).collect(Collectors.joining(",")));
        new CountDownLatch(1).await();
    }
}
