package io.clstr.reference.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stage 4's network faults through {@link FaultyLink}s: a partition with the leader on the
 * minority side, healing, and a leader whose outgoing traffic is 2 s late.
 */
class PartitionTest {

    private static final long SETTLE_MILLIS = 3_000;

    @Test
    void quorumIsEnforcedAndSlowLeaderStepsDown() throws Exception {
        try (TestCluster cluster = new TestCluster(5, NodeProcess.workDir("partition"), true, null).start()) {
            ClusterTest.awaitHealthy(cluster);
            TestCluster.Info leader = cluster.awaitAgreedLeader(cluster.nodes, 3_000, i -> true)
                    .orElseThrow(() -> new AssertionError("no leader\n" + cluster.logs()));
            NodeProcess oldLeader = leader.node();
            NodeProcess buddy = cluster.nodes.stream()
                    .filter(n -> n != oldLeader)
                    .findFirst()
                    .orElseThrow();
            List<NodeProcess> minority = List.of(oldLeader, buddy);
            List<NodeProcess> majority =
                    cluster.nodes.stream().filter(n -> !minority.contains(n)).toList();

            cluster.partition(List.of(minority, majority));
            // Sent while the old leader still believes it leads: it cannot commit, so never 200.
            assertNotEquals(200, ClusterTest.status(oldLeader, "PUT", "/kv/lost", "never committed"));
            Thread.sleep(SETTLE_MILLIS);
            TestCluster.Info majorityLeader = cluster.awaitAgreedLeader(majority, 1_000, i -> i.term() > leader.term())
                    .orElseThrow(() -> new AssertionError("no leader in the majority\n" + cluster.logs()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                for (TestCluster.Info info : cluster.infos(minority)) {
                    assertNotEquals("leader", info.role(), () -> "leader in the minority\n" + cluster.logs());
                    assertEquals(null, info.leader());
                }
                for (NodeProcess node : minority) {
                    assertEquals(503, ClusterTest.status(node, "/kv/x"));
                }
                Thread.sleep(100);
            }
            assertEquals(
                    200, majorityLeader.node().put("/kv/during", "partition").statusCode());

            cluster.heal();
            Thread.sleep(SETTLE_MILLIS);
            TestCluster.Info healed = cluster.awaitAgreedLeader(cluster.nodes, 3_000, i -> true)
                    .orElseThrow(() -> new AssertionError("no agreement after healing\n" + cluster.logs()));
            SingleNodeTest.assertResponse(200, "partition", healed.node().get("/kv/during"));
            SingleNodeTest.assertResponse(404, "key not found", healed.node().get("/kv/lost"));
            // The old leader's uncommitted entry is replaced: every log ends up the same.
            List<String> reference = cluster.logTerms(healed.node());
            long logsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (NodeProcess node : cluster.nodes) {
                while (!reference.equals(cluster.logTerms(node))) {
                    assertTrue(
                            System.nanoTime() < logsDeadline,
                            () -> node.name + " log " + cluster.logTerms(node) + " != " + reference + "\n"
                                    + cluster.logs());
                    Thread.sleep(50);
                }
            }

            cluster.slowDown(healed.node(), 2_000);
            TestCluster.Info replacement = cluster.awaitAgreedLeader(
                            cluster.nodes.stream()
                                    .filter(n -> n != healed.node())
                                    .toList(),
                            5_000,
                            i -> i.term() > healed.term())
                    .orElseThrow(() -> new AssertionError("the slow leader was not replaced\n" + cluster.logs()));
            assertNotEquals(healed.node(), replacement.node());
            assertTrue(!cluster.info(healed.node()).isLeader(), () -> "the slow leader still leads\n" + cluster.logs());
        }
    }

    @Test
    void electionCompletesUnderPacketLoss() throws Exception {
        try (TestCluster cluster = new TestCluster(5, NodeProcess.workDir("loss"), true, null).start()) {
            ClusterTest.awaitHealthy(cluster);
            TestCluster.Info leader = cluster.awaitAgreedLeader(cluster.nodes, 3_000, i -> true)
                    .orElseThrow(() -> new AssertionError("no leader\n" + cluster.logs()));
            cluster.lossEverywhere(0.2);
            leader.node().kill();
            leader.node().start();
            TestCluster.Info next = cluster.awaitAgreedLeader(cluster.nodes, 10_000, i -> i.term() > leader.term())
                    .orElseThrow(() -> new AssertionError("no leader under 20% loss within 10 s\n" + cluster.logs()));
            assertEquals(200, ClusterTest.status(next.node(), "PUT", "/kv/lossy", "v"));
        }
    }

    @Test
    void neverStepDownBugKeepsALeaderInTheMinority() throws Exception {
        assertMinorityKeepsALeader("never-step-down");
    }

    @Test
    void minorityElectsBugKeepsALeaderInTheMinority() throws Exception {
        assertMinorityKeepsALeader("minority-elects");
    }

    private static void assertMinorityKeepsALeader(String bug) throws Exception {
        try (TestCluster cluster = new TestCluster(5, NodeProcess.workDir(bug), true, bug).start()) {
            ClusterTest.awaitHealthy(cluster);
            TestCluster.Info leader = cluster.awaitAgreedLeader(cluster.nodes, 3_000, i -> true)
                    .orElseThrow(() -> new AssertionError("no leader\n" + cluster.logs()));
            List<NodeProcess> minority = List.of(
                    leader.node(),
                    cluster.nodes.stream()
                            .filter(n -> n != leader.node())
                            .findFirst()
                            .orElseThrow());
            List<NodeProcess> majority =
                    cluster.nodes.stream().filter(n -> !minority.contains(n)).toList();
            cluster.partition(List.of(minority, majority));
            Thread.sleep(SETTLE_MILLIS);
            assertTrue(
                    cluster.infos(minority).stream().anyMatch(TestCluster.Info::isLeader),
                    () -> "with " + bug + " the minority should keep a leader\n" + cluster.logs());
        }
    }
}
