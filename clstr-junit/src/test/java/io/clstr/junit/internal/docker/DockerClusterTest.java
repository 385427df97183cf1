package io.clstr.junit.internal.docker;

import static io.clstr.junit.check.Select.node;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.NodeState;
import io.clstr.junit.check.Request;
import io.clstr.junit.internal.ClusterAccess;
import io.clstr.junit.internal.log.LogEntry;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.testnode.TestNodeCalls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A 3-node cluster of {@link io.clstr.junit.testnode.TestNode} containers shows the docker runtime's node
 * contract, its lifecycle through the engine's API, and faults through the Toxiproxy container.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class DockerClusterTest {

    private Path folder;
    private Cluster cluster;
    private Node n1;
    private Node n2;
    private Node n3;
    private TestNodeCalls calls;

    @BeforeAll
    void start() {
        folder = TestNodeImage.folder();
        cluster = Cluster.builder(folder)
                .runtime(Cluster.RuntimeKind.DOCKER)
                .nodes(3)
                .env(Map.of("EXTRA", "from clstr.yaml"))
                .settle(Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(5))
                .healthTimeout(Duration.ofSeconds(60))
                .start();
        n1 = cluster.node(1);
        n2 = cluster.node(2);
        n3 = cluster.node(3);
        calls = new TestNodeCalls(cluster);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static InspectContainerResponse inspect(Node node) {
        return DockerEngine.require()
                .client()
                .inspectContainerCmd(containerName(node))
                .exec();
    }

    private static String containerName(Node node) {
        String uri = node.uri().toString();
        return DockerEngine.require()
                .client()
                .listContainersCmd()
                .withShowAll(true)
                .withFilter(
                        "label",
                        List.of(RunLabels.OWNER + "=" + RunLabels.create().owner()))
                .exec()
                .stream()
                .filter(c -> c.getLabels().get(RunLabels.RUN) != null)
                .filter(c -> c.getNames()[0].endsWith("-" + node.name()))
                .map(c -> c.getId())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container for " + node.name() + " at " + uri));
    }

    private static String ip(InspectContainerResponse container) {
        return container
                .getNetworkSettings()
                .getNetworks()
                .values()
                .iterator()
                .next()
                .getIpAddress();
    }

    private static int publishedPort(InspectContainerResponse container) {
        return ContainerSpec.publishedPort(container, DockerLayout.NODE_PORT).orElseThrow();
    }

    @Test
    void a_envContractGivesFixedAddressesRoutesThroughTheProxyContainerAndAVolume() {
        List<Node> nodes = cluster.nodes();
        for (Node node : nodes) {
            JsonNode env = calls.env(node);
            String ip = "10.0.42." + (100 + node.number());
            assertThat(node.addr()).isEqualTo(ip + ":8080");
            assertThat(env.get("ADDR").asText()).isEqualTo(node.addr());
            assertThat(node.uri().toString()).startsWith("http://127.0.0.1:");
            assertThat(node.uri().getPort()).isEqualTo(publishedPort(inspect(node)));
            assertThat(ip(inspect(node))).isEqualTo(ip);
            List<String> peers = nodes.stream()
                    .filter(o -> o != node)
                    .map(o -> ClusterAccess.fabric(cluster).route(node.name(), o.name()))
                    .toList();
            assertThat(peers).allMatch(route -> route.matches("10\\.0\\.42\\.2:\\d+"));
            assertThat(env.get("PEERS").asText()).isEqualTo(String.join(",", peers));
            List<String> routes = nodes.stream()
                    .filter(o -> o != node)
                    .map(o -> o.addr() + "=" + ClusterAccess.fabric(cluster).route(node.name(), o.name()))
                    .toList();
            assertThat(env.get("ROUTES").asText()).isEqualTo(String.join(",", routes));
            assertThat(env.get("DATA_DIR").asText()).isEqualTo("/app/data");
            assertThat(cluster.send(node, Request.get("/env/EXTRA")).body()).isEqualTo("from clstr.yaml");
        }
        assertThat(calls.reaches(n1, n2)).isTrue();
        assertThat(calls.reaches(n3, n1)).isTrue();
    }

    @Test
    void b_killThenStartKeepsDataAndAddressAndReadsThePortAgain() {
        cluster.put(node(n2), "/data/kept", "survives").status(200).check();
        long pidBefore = calls.env(n2).get("pid").asLong();
        String containerBefore = inspect(n2).getId();
        String startedBefore = inspect(n2).getState().getStartedAt();

        n2.kill();
        assertThat(n2.state()).isEqualTo(NodeState.KILLED);
        assertThat(inspect(n2).getState().getRunning()).isFalse();
        assertThat(inspect(n2).getState().getExitCodeLong()).isEqualTo(137L);
        n2.start();

        InspectContainerResponse after = inspect(n2);
        assertThat(after.getId()).isEqualTo(containerBefore);
        assertThat(after.getState().getStartedAt()).isNotEqualTo(startedBefore);
        assertThat(ip(after)).isEqualTo("10.0.42.102");
        assertThat(n2.uri().getPort()).isEqualTo(publishedPort(after));
        assertThat(calls.env(n2).get("ADDR").asText()).isEqualTo("10.0.42.102:8080");
        assertThat(calls.env(n2).get("pid").asLong()).isEqualTo(pidBefore).isEqualTo(1); // the server is PID 1 again
        cluster.get(node(n2), "/data/kept").status(200).body("survives").check();
        assertThat(calls.reaches(n1, n2)).isTrue();
    }

    @Test
    void c_stopIsGracefulAndOutputIsCapturedAcrossRestartsOnce() throws IOException {
        n3.restart(Node.Restart.STOP);
        assertThat(n3.state()).isEqualTo(NodeState.RUNNING);
        assertThat(n3.logTail(100)).contains("stopping (SIGTERM)", "stopped");
        List<String> lines = RunLog.read(folder.resolve(".clstr/logs/cluster")).stream()
                .filter(e -> e.node().equals("n3") && e.message() != null)
                .map(LogEntry::message)
                .toList();
        assertThat(lines.stream().filter(l -> l.equals("listening on 10.0.42.103:8080")))
                .hasSize(2);
        assertThat(lines.stream().filter(l -> l.equals("stopping (SIGTERM)"))).hasSize(1);
    }

    @Test
    void d_pauseFreezesTheContainerAndResumeThawsIt() {
        n1.pause();
        assertThat(n1.state()).isEqualTo(NodeState.PAUSED);
        assertThat(inspect(n1).getState().getPaused()).isTrue();
        assertThat(cluster.send(n1, Request.get("/health").withTimeout(Duration.ofMillis(500)))
                        .status())
                .isEqualTo(-1);
        n1.resume();
        assertThat(inspect(n1).getState().getPaused()).isFalse();
        cluster.get(node(n1), "/health").status(200).check();
        n1.pause();
        n1.kill();
        assertThat(inspect(n1).getState().getPaused()).isFalse();
        n1.start();
        cluster.get(node(n1), "/health").status(200).check();
    }

    @Test
    void e_partitionCutsTheRoutesThroughTheProxyContainerAndHealRestoresThem() {
        cluster.partition(List.of(n1), List.of(n2, n3));
        assertThat(calls.reaches(n1, n2)).isFalse();
        assertThat(calls.reaches(n3, n1)).isFalse();
        assertThat(calls.reaches(n2, n3)).isTrue();
        cluster.heal();
        assertThat(calls.reaches(n1, n2)).isTrue();
        assertThat(calls.reaches(n3, n1)).isTrue();
    }
}
