package io.clstr.junit.internal.runtime;

import static io.clstr.junit.internal.runtime.Fixture.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.Cluster;
import io.clstr.junit.check.Select;
import io.clstr.junit.testnode.TestNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's close ends what its nodes left running outside their process groups, and closes its client's
 * connections: the process runtime's search ({@link ProcessRuntime#sweep()}) and the client's close run
 * beside the rest of the teardown, and the close returns after both.
 */
class ClusterTeardownTest {

    @TempDir
    Path folder;

    @Test
    void closeEndsAProcessThatLeftItsNodesGroup() throws Exception {
        Cluster cluster = oneNode(Fixture.escapingRun());
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

    @Test
    void closeClosesTheClientsConnectionsBeforeItReturns() throws Exception {
        Cluster cluster = oneNode(TestNodes.command());
        int port;
        try {
            port = Integer.parseInt(cluster.node("n1").addr().replaceAll(".*:", ""));
            cluster.concurrently(8, 8, i -> cluster.get(Select.node(cluster.node("n1")), "/health")
                    .status(200)
                    .check());
            assertThat(connectionsTo(port))
                    .as("the client's pooled connections to n1")
                    .isNotEmpty();
        } finally {
            cluster.close();
        }

        assertThat(connectionsTo(port))
                .as("connections to n1 still open (established, or closed by the node only) after the cluster closed")
                .isEmpty();
    }

    private Cluster oneNode(String run) {
        return Cluster.builder(folder).nodes(1).run(run).healthTimeout(STARTUP).start();
    }

    /** This machine's TCP connections to {@code port} that this side has not closed: /proc/net/tcp and tcp6. */
    private static List<String> connectionsTo(int port) throws IOException {
        String remotePort = String.format(Locale.ROOT, ":%04X", port);
        Stream<String> lines = Stream.empty();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (Files.exists(file)) {
                lines = Stream.concat(lines, Files.readAllLines(file).stream().skip(1));
            }
        }
        // fields: sl local_address rem_address st ...; 01 established, 08 close-wait
        return lines.map(String::trim)
                .map(line -> line.split("\\s+"))
                .filter(f -> f[2].endsWith(remotePort) && (f[3].equals("01") || f[3].equals("08")))
                .map(f -> f[1] + " -> " + f[2] + " state " + f[3])
                .toList();
    }
}
