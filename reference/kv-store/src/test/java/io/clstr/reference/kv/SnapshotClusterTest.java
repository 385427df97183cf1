package io.clstr.reference.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Stage 6 on five nodes at the default snapshot interval: after 3,000 writes every log is
 * bounded and every snapshot has moved; a follower cut off past the leader's snapshot point
 * catches up by InstallSnapshot and, leading, serves the right data; and after SIGKILL of every
 * node each restarts from its snapshot with every key readable.
 */
class SnapshotClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITES = 3_000;
    private static final int VALUE_BYTES = 20;
    private static final int IN_FLIGHT = 32;
    /** What {@code GET /log} may hold after 3,000 writes (the spec's bound). */
    private static final int MAX_HELD = 1_000;

    /** A node's {@code GET /log} and {@code GET /log/snapshot}, or null fields when it did not answer. */
    private record LogState(
            long entries, long lastIndex, long commitIndex, long lastApplied, long snapshotIndex, long snapshotTerm) {}

    @Test
    void logsStayBoundedFarBehindFollowersInstallSnapshotsAndRestartsLoadThem() throws Exception {
        try (TestCluster cluster = new TestCluster(5, NodeProcess.workDir("snapshots"), true, null).start()) {
            ClusterTest.awaitHealthy(cluster);
            NodeProcess leader = leader(cluster, cluster.nodes, i -> true);

            // Log Stays Bounded
            assertEquals(0, SingleNodeTest.writeConcurrently(leader, "a", WRITES, VALUE_BYTES, IN_FLIGHT));
            long commit = state(leader).commitIndex();
            awaitAll(
                    cluster,
                    cluster.nodes,
                    "every log holds at most " + MAX_HELD + " entries after " + WRITES
                            + " writes, and every snapshot moved",
                    s -> s.lastApplied() >= commit
                            && s.entries() <= MAX_HELD
                            && s.snapshotIndex() >= WRITES - MAX_HELD
                            && s.snapshotTerm() >= 1);

            // Far-Behind Follower Installs Snapshot
            NodeProcess behind =
                    cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
            List<NodeProcess> others =
                    cluster.nodes.stream().filter(n -> n != behind).toList();
            long oldLast = state(behind).lastIndex();
            cluster.partition(List.of(List.of(behind), others));
            int written = 0;
            while (state(leader).snapshotIndex() <= oldLast) {
                assertTrue(
                        written < 2_000, () -> "the leader's snapshot never passed " + oldLast + "\n" + cluster.logs());
                assertEquals(0, SingleNodeTest.writeConcurrently(leader, "b" + written, 100, VALUE_BYTES, IN_FLIGHT));
                written += 100;
            }
            int batches = written / 100;
            cluster.heal();
            long leaderCommit = state(leader).commitIndex();
            awaitAll(
                    cluster,
                    List.of(behind),
                    "the cut-off follower installs a snapshot past its old last index " + oldLast
                            + " and applies up to " + leaderCommit,
                    s -> s.snapshotIndex() > oldLast && s.lastApplied() >= leaderCommit);
            assertTrue(behind.log().contains("installed the leader's snapshot"), behind.log());

            // ... and, once it leads, serves the right data: cut two others off, write through the
            // leader, then stop the leader and the last node. Only the follower can win now: the
            // two others lack the last writes.
            List<NodeProcess> lagging =
                    others.stream().filter(n -> n != leader).limit(2).toList();
            NodeProcess last = others.stream()
                    .filter(n -> n != leader && !lagging.contains(n))
                    .findFirst()
                    .orElseThrow();
            cluster.partition(List.of(lagging, List.of(leader, last, behind)));
            assertEquals(0, SingleNodeTest.writeConcurrently(leader, "c", 10, VALUE_BYTES, 10));
            leader.kill();
            last.kill();
            cluster.heal();
            NodeProcess successor = leader(cluster, List.of(behind, lagging.get(0), lagging.get(1)), i -> true);
            assertEquals(behind, successor, () -> "only the caught-up follower has the last writes\n" + cluster.logs());
            assertKeys(successor, batches);

            // State Survives Restart From Snapshot
            leader.start();
            last.start();
            for (NodeProcess node : cluster.nodes) {
                node.kill();
            }
            for (NodeProcess node : cluster.nodes) {
                node.start();
                assertTrue(node.log().contains("restored the state machine from the snapshot"), node.log());
            }
            assertKeys(leader(cluster, cluster.nodes, i -> true), batches);
        }
    }

    /** Every 10th key of the first 3,000 and every key written after them hold their values on {@code node}. */
    private static void assertKeys(NodeProcess node, int batches) throws Exception {
        for (int i = 0; i < WRITES; i += 10) {
            SingleNodeTest.assertResponse(200, SingleNodeTest.value(i, VALUE_BYTES), node.get("/kv/a-" + i));
        }
        for (int batch = 0; batch < batches; batch++) {
            for (int i = 0; i < 100; i++) {
                SingleNodeTest.assertResponse(
                        200, SingleNodeTest.value(i, VALUE_BYTES), node.get("/kv/b" + batch * 100 + "-" + i));
            }
        }
        for (int i = 0; i < 10; i++) {
            SingleNodeTest.assertResponse(200, SingleNodeTest.value(i, VALUE_BYTES), node.get("/kv/c-" + i));
        }
    }

    private static NodeProcess leader(TestCluster cluster, List<NodeProcess> among, Predicate<TestCluster.Info> extra)
            throws InterruptedException {
        return cluster.awaitAgreedLeader(among, 5_000, extra)
                .orElseThrow(() -> new AssertionError("no agreed leader within 5 s\n" + cluster.logs()))
                .node();
    }

    /** Waits up to 10 s until every node of {@code nodes} satisfies {@code condition}. */
    private static void awaitAll(
            TestCluster cluster, List<NodeProcess> nodes, String what, Predicate<LogState> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (NodeProcess node : nodes) {
            LogState seen = state(node);
            while (seen == null || !condition.test(seen)) {
                LogState last = seen;
                assertTrue(
                        System.nanoTime() < deadline,
                        () -> "not within 10 s: " + what + "; " + node.name + " has " + last + "\n" + cluster.logs());
                Thread.sleep(100);
                seen = state(node);
            }
        }
    }

    private static LogState state(NodeProcess node) throws InterruptedException {
        try {
            HttpResponse<String> log = node.get("/log");
            HttpResponse<String> snapshot = node.get("/log/snapshot");
            if (log.statusCode() != 200 || snapshot.statusCode() != 200) {
                return null;
            }
            JsonNode entries = JSON.readTree(log.body());
            JsonNode meta = JSON.readTree(snapshot.body());
            JsonNode held = entries.get("entries");
            long snapshotIndex = meta.get("last-included-index").asLong();
            return new LogState(
                    held.size(),
                    held.isEmpty()
                            ? snapshotIndex
                            : held.get(held.size() - 1).get("index").asLong(),
                    entries.get("commit-index").asLong(),
                    entries.get("last-applied").asLong(),
                    snapshotIndex,
                    meta.get("last-included-term").asLong());
        } catch (IOException e) {
            return null;
        }
    }
}
