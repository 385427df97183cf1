package io.clstr.junit;

import static io.clstr.junit.check.Select.all;
import static io.clstr.junit.check.Select.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.Fault;
import io.clstr.junit.history.History;
import io.clstr.junit.internal.ClusterAccess;
import io.clstr.junit.network.Impairment;
import io.clstr.junit.testnode.TestNodeCalls;
import io.clstr.junit.testnode.TestNodes;
import java.io.IOException;
import java.nio.file.Files;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node cluster of {@link io.clstr.junit.testnode.TestNode}s, started through {@code sh -c},
 * shows the node contract and every network fault on real processes and real proxies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class ClusterTest {

    @TempDir
    static Path folder;

    private Cluster.Builder builder;
    private Cluster cluster;
    private Node n1;
    private Node n2;
    private Node n3;
    private TestNodeCalls calls;

    @BeforeAll
    void start() {
        builder = Cluster.builder(folder)
                .nodes(3)
                .run(TestNodes.command())
                .env(Map.of("EXTRA", "from clstr.yaml"))
                .settle(Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(5))
                .healthTimeout(Duration.ofSeconds(60));
        cluster = builder.start();
        n1 = cluster.node(1);
        n2 = cluster.node(2);
        n3 = cluster.node(3);
        calls = new TestNodeCalls(cluster);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void a_envContractGivesIdentityRoutesAndData() {
        List<Node> nodes = cluster.nodes();
        for (Node node : nodes) {
            JsonNode env = calls.env(node);
            assertThat(env.get("ADDR").asText()).isEqualTo(node.addr()).startsWith("127.0.0.1:");
            assertThat(node.uri().toString()).isEqualTo("http://" + node.addr());
            List<String> peers = nodes.stream()
                    .filter(o -> o != node)
                    .map(o -> ClusterAccess.fabric(cluster).route(node.name(), o.name()))
                    .toList();
            assertThat(env.get("PEERS").asText()).isEqualTo(String.join(",", peers));
            List<String> routes = nodes.stream()
                    .filter(o -> o != node)
                    .map(o -> o.addr() + "=" + ClusterAccess.fabric(cluster).route(node.name(), o.name()))
                    .toList();
            assertThat(env.get("ROUTES").asText()).isEqualTo(String.join(",", routes));
            assertThat(env.get("DATA_DIR").asText())
                    .isEqualTo(node.dataDir().toString())
                    .isEqualTo(
                            folder.resolve(".clstr/data/cluster/" + node.name()).toString());
            assertThat(node.dataDir()).isDirectory().isEmptyDirectory();
            assertThat(cluster.send(node, Request.get("/env/EXTRA")).body()).isEqualTo("from clstr.yaml");
            assertThat(cluster.send(node, Request.get("/env/PATH")).body()).isEqualTo(System.getenv("PATH"));
        }
        // routes are proxies, not the peers' own addresses
        assertThat(ClusterAccess.fabric(cluster).route(n1.name(), n2.name())).isNotEqualTo(n2.addr());
        assertThat(calls.reaches(n1, n2)).isTrue();
    }

    @Test
    void b_healthWaitLeavesEveryNodeRunningAndHealthy() {
        assertThat(cluster.nodes()).extracting(Node::state).containsOnly(NodeState.RUNNING);
        cluster.get(all(), "/health").status(200).check();
    }

    @Test
    void c_killThenStartKeepsDataDirAddrAndPort() throws IOException {
        cluster.put(node(n2), "/data/kept", "survives").status(200).check();
        String addr = n2.addr();
        long pidBefore = calls.env(n2).get("pid").asLong();
        n2.kill();
        assertThat(n2.state()).isEqualTo(NodeState.KILLED);
        assertThat(cluster.send(n2, Request.get("/health")).status()).isEqualTo(-1);
        n2.start();
        assertThat(n2.state()).isEqualTo(NodeState.RUNNING);
        JsonNode env = calls.env(n2);
        assertThat(env.get("pid").asLong()).isNotEqualTo(pidBefore);
        assertThat(env.get("ADDR").asText()).isEqualTo(addr);
        assertThat(n2.addr()).isEqualTo(addr);
        cluster.get(node(n2), "/data/kept").status(200).body("survives").check();
        assertThat(Files.readString(n2.dataDir().resolve("kept"))).isEqualTo("survives");
        n2.restart(Node.Restart.STOP);
        cluster.get(node(n2), "/data/kept").status(200).body("survives").check();
    }

    @Test
    void d_partitionBlocksAcrossGroupsOnlyAndHealRestores() {
        cluster.partition(List.of(n1), List.of(n2, n3));
        assertThat(calls.reaches(n1, n2)).isFalse();
        assertThat(calls.reaches(n2, n1)).isFalse();
        assertThat(calls.reaches(n3, n1)).isFalse();
        assertThat(calls.reaches(n2, n3)).isTrue();
        assertThat(calls.reaches(n3, n2)).isTrue();
        // clients still reach every node directly
        cluster.get(all(), "/health").status(200).check();

        cluster.partition(List.of(n1, n2), List.of(n3));
        assertThat(calls.reaches(n1, n2))
                .as("a new partition replaces the old one")
                .isTrue();
        assertThat(calls.reaches(n2, n3)).isFalse();

        cluster.heal();
        for (Node from : cluster.nodes()) {
            for (Node to : cluster.nodes()) {
                if (from != to) {
                    assertThat(calls.reaches(from, to))
                            .as("%s -> %s after heal", from.name(), to.name())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void e_oneWayCutLosesExactlyTheBytesFromOneNodeToTheOther() {
        cluster.cut(n1, n2);
        long n2Before = calls.ingested(n2);
        long n1Before = calls.ingested(n1);
        JsonNode fromN1 = calls.call(n1, n2, "POST", "/ingest", "0123456789", TestNodeCalls.LOST_MS);
        assertThat(fromN1.get("status").asInt())
                .as("n1's request never arrives")
                .isEqualTo(-1);
        assertThat(calls.ingested(n2)).as("n2 received nothing from n1").isEqualTo(n2Before);

        JsonNode fromN2 = calls.call(n2, n1, "POST", "/ingest", "abcdefghij", TestNodeCalls.LOST_MS);
        assertThat(calls.ingested(n1)).as("n2's bytes reach n1").isEqualTo(n1Before + 10);
        assertThat(fromN2.get("status").asInt()).as("n1's reply to n2 is lost").isEqualTo(-1);

        assertThat(calls.reaches(n1, n3)).isTrue();
        assertThat(calls.reaches(n3, n2)).isTrue();
        cluster.heal();
        assertThat(calls.reaches(n1, n2)).isTrue();
        assertThat(calls.reaches(n2, n1)).isTrue();
    }

    @Test
    void f_latencyImpairmentDelaysWhatTheNodeSends() {
        JsonNode baseline = calls.call(n1, n2, "GET", "/health", "", 5000);
        assertThat(baseline.get("status").asInt()).isEqualTo(200);
        cluster.impair(List.of(n1), Impairment.latency(200));
        JsonNode slowed = calls.call(n1, n2, "GET", "/health", "", 5000);
        assertThat(slowed.get("status").asInt()).isEqualTo(200);
        assertThat(slowed.get("elapsed-ms").asLong()).isGreaterThanOrEqualTo(200);
        JsonNode replyPath = calls.call(n2, n1, "GET", "/health", "", 5000);
        assertThat(replyPath.get("elapsed-ms").asLong())
                .as("n1's replies are delayed too")
                .isGreaterThanOrEqualTo(200);
        JsonNode unaffected = calls.call(n2, n3, "GET", "/health", "", 5000);
        assertThat(unaffected.get("status").asInt()).isEqualTo(200);
        assertThat(ClusterAccess.fabric(cluster).toxicNames("n1-n2")).containsExactly("impair_latency_upstream");
        assertThat(ClusterAccess.fabric(cluster).toxicNames("n2-n1")).containsExactly("impair_latency_downstream");
        cluster.repair();
        assertThat(ClusterAccess.fabric(cluster).toxicNames("n1-n2")).isEmpty();
        assertThat(ClusterAccess.fabric(cluster).toxicNames("n2-n1")).isEmpty();
    }

    @Test
    void g_pausedNodeAnswersNothingWithinOneSecondAndAgainAfterResume() {
        n3.pause();
        assertThat(n3.state()).isEqualTo(NodeState.PAUSED);
        assertThat(cluster.live()).contains(n3);
        Response r = cluster.send(n3, Request.get("/health").withTimeout(Duration.ofSeconds(1)));
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.error())
                .as("the kernel accepts the connection; the stopped process never answers")
                .isEqualTo("no answer within 1000 ms");
        n3.resume();
        cluster.get(node(n3), "/health")
                .eventually(Duration.ofSeconds(10))
                .status(200)
                .check();
    }

    @Test
    void h_badSelectionsAreClearErrors() {
        assertThatThrownBy(() -> cluster.node(4)).hasMessage("no node n4: this cluster has n1…n3");
        assertThatThrownBy(() -> cluster.node("n9")).hasMessage("no node named or addressed n9");
        assertThatThrownBy(n1::resume).hasMessage("n1 is not paused (it is RUNNING)");
        assertThat(cluster.node(n2.addr())).isSameAs(n2);
    }

    @Test
    void i_historyRecordsTheFaultsMadeAfterItStarts() {
        cluster.kill(n3);
        History<String, String> history = cluster.history();
        ClusterAccess.log(cluster).event("TEST: not a fault");
        cluster.partitionNow(List.of(n1), List.of(n2));
        assertThat(calls.reaches(n1, n2))
                .as("partitionNow is in place when it returns")
                .isFalse();
        cluster.heal();
        cluster.start(n3);
        n2.restart(Node.Restart.KILL);
        cluster.impair(List.of(n1), Impairment.latency(10));
        cluster.repair(n1);

        List<String> faults = history.faults().stream().map(Fault::text).toList();
        assertThat(faults)
                .containsExactly(
                        "PARTITION: n1 | n2",
                        "PARTITION HEALED",
                        "n3 START",
                        "n2 RESTART: KILL",
                        "n1 IMPAIRED: latency 10ms",
                        "n1 REPAIRED");
        List<Long> times = history.faults().stream().map(Fault::nanos).toList();
        assertThat(times).isSorted();
        assertThat(cluster.timelines())
                .isEqualTo(folder.resolve(".clstr/timelines").toAbsolutePath());
    }

    @Test
    void j_askSendsOneRequestToEveryNodeGivenAndAnswersInTheirOrder() {
        List<Response> answers = cluster.ask(List.of(n2, n1), Request.get("/health"));
        assertThat(answers).extracting(Response::node).containsExactly(n2, n1);
        assertThat(answers).extracting(Response::status).containsOnly(200);
        assertThat(cluster.ask(List.of(), Request.get("/health"))).isEmpty();
    }

    @Test
    void k_nodeSetHelpers() {
        assertThat(cluster.othersThan(n2)).containsExactly(n1, n3);
        assertThat(cluster.othersThan(List.of(n1, n3))).containsExactly(n2);
        for (int i = 0; i < 20; i++) {
            assertThat(cluster.randomOther(n1)).isIn(n2, n3);
        }
        assertThatThrownBy(() -> cluster.randomOther(n1, n2, n3)).hasMessageContaining("no member is left");
        assertThat(Nodes.names(List.of(n1, n3))).isEqualTo("n1, n3");
        assertThat(Nodes.addrs(List.of(n2))).containsExactly(n2.addr());
    }

    @Test
    void l_aRunningClusterCannotBeReconfiguredThroughItsBuilder() {
        builder.nodes(5).requestTimeout(Duration.ofMillis(1)).seed(7);
        assertThat(cluster.members()).hasSize(3);
        assertThat(cluster.send(n1, Request.get("/health")).status()).isEqualTo(200);
        assertThat(builder.config().members()).isEqualTo(5);
        assertThat(builder.config()).isNotSameAs(builder.config()).isEqualTo(builder.config());
    }
}
