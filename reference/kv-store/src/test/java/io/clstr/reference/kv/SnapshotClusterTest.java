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
import java.util.stream.IntStream;
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
    private static final int IN_FLIGHT = 16;
    /** What {@code GET /log} may hold after 3,000 writes (the spec's bound). */
    private static final int MAX_HELD = 1_000;

    /** A node's {@code GET /log} and {@code GET /log/snapshot}, or null fields when it did not answer. */
    private record LogState(
            long entries, long lastIndex, long commitIndex, long lastApplied, long snapshotIndex, long snapshotTerm) {}

    @Test
    void logsStayBoundedFarBehindFollowersInstallSnapshotsAndRestartsLoadThem() throws Exception {
        try (TestCluster cluster = new TestCluster(5, NodeProcess.workDir("snapshots"), true, null).start()) {
            ClusterTest.awaitHealthy(cluster);

            // Log Stays Bounded
            writeAll(cluster, cluster.nodes, "a", WRITES);
            long commit = state(leader(cluster, cluster.nodes)).commitIndex();
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
            NodeProcess first = leader(cluster, cluster.nodes);
            NodeProcess behind =
                    cluster.nodes.stream().filter(n -> n != first).findFirst().orElseThrow();
            List<NodeProcess> others =
                    cluster.nodes.stream().filter(n -> n != behind).toList();
            long oldLast = state(behind).lastIndex();
            cluster.partition(List.of(List.of(behind), others));
            int batches = 0;
            while (state(leader(cluster, others)).snapshotIndex() <= oldLast) {
                assertTrue(batches < 20, () -> "the leader's snapshot never passed " + oldLast + "\n" + cluster.logs());
                writeAll(cluster, others, "b" + batches * 100, 100);
                batches++;
            }
            cluster.heal();
            long leaderCommit = state(leader(cluster, others)).commitIndex();
            awaitAll(
                    cluster,
                    List.of(behind),
                    "the cut-off follower installs a snapshot past its old last index " + oldLast
                            + " and applies up to " + leaderCommit,
                    s -> s.snapshotIndex() > oldLast && s.lastApplied() >= leaderCommit);
            assertTrue(behind.log().contains("installed the leader's snapshot"), behind.log());

            // ... and, once it leads, serves the right data: cut two others off, write through the
            // other two and it, then kill those two. Only it can win now: the two that were cut off
            // lack the last writes, so it refuses them its vote, and three votes are needed.
            List<NodeProcess> lagging = others.subList(0, 2);
            List<NodeProcess> killed = others.subList(2, 4);
            List<NodeProcess> side = List.of(killed.get(0), killed.get(1), behind);
            cluster.partition(List.of(lagging, side));
            writeAll(cluster, side, "c", 10);
            for (NodeProcess node : killed) {
                node.kill();
            }
            cluster.heal();
            NodeProcess successor = leader(cluster, List.of(behind, lagging.get(0), lagging.get(1)));
            assertEquals(behind, successor, () -> "only the caught-up follower has the last writes\n" + cluster.logs());
            assertKeys(successor, batches);

            // State Survives Restart From Snapshot
            for (NodeProcess node : killed) {
                node.start();
            }
            for (NodeProcess node : cluster.nodes) {
                node.kill();
            }
            for (NodeProcess node : cluster.nodes) {
                node.start();
            }
            assertKeys(leader(cluster, cluster.nodes), batches);
        }
    }

    /**
     * Writes {@code prefix-0} to {@code prefix-(count-1)} through the node that leads among
     * {@code among}; writes a change of leader failed go again through the next (PUT is
     * idempotent), up to five rounds.
     */
    private static void writeAll(TestCluster cluster, List<NodeProcess> among, String prefix, int count)
            throws InterruptedException {
        List<Integer> pending = IntStream.range(0, count).boxed().toList();
        for (int round = 0; round < 5 && !pending.isEmpty(); round++) {
            pending = SingleNodeTest.writeConcurrently(leader(cluster, among), prefix, pending, VALUE_BYTES, IN_FLIGHT);
        }
        List<Integer> failed = pending;
        assertTrue(
                failed.isEmpty(),
                () -> failed.size() + " writes of " + prefix + " failed five times\n" + cluster.logs());
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

    /** The leader every node of {@code among} agrees on, waiting up to 10 s (the machine may be busy). */
    private static NodeProcess leader(TestCluster cluster, List<NodeProcess> among) {
        try {
            return cluster.awaitAgreedLeader(among, 10_000, i -> true)
                    .orElseThrow(() -> new AssertionError("no agreed leader within 10 s\n" + cluster.logs()))
                    .node();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a leader", e);
        }
    }

    /** Waits up to 30 s (the machine may be busy) until every node of {@code nodes} satisfies {@code condition}. */
    private static void awaitAll(
            TestCluster cluster, List<NodeProcess> nodes, String what, Predicate<LogState> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (NodeProcess node : nodes) {
            LogState seen = state(node);
            while (seen == null || !condition.test(seen)) {
                LogState last = seen;
                assertTrue(
                        System.nanoTime() < deadline,
                        () -> "not within 30 s: " + what + "; " + node.name + " has " + last + "\n" + cluster.logs());
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
