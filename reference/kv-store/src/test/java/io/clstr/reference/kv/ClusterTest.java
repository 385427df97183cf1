package io.clstr.reference.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stage 4 (and the start of stage 5) on five nodes. */
class ClusterTest {

    @Test
    void electsOneLeaderRedirectsReplicatesAndFailsOver() throws Exception {
        try (TestCluster cluster = new TestCluster(5, NodeProcess.workDir("cluster"), false, null).start()) {
            awaitHealthy(cluster);
            TestCluster.Info leader = cluster.awaitAgreedLeader(cluster.nodes, 3_000, i -> true)
                    .orElseThrow(() -> new AssertionError("no agreed leader within 3 s\n" + cluster.logs()));
            assertEquals(4, leader.peers());

            // Heartbeats keep the same leader and term.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
            while (System.nanoTime() < until) {
                for (TestCluster.Info info : cluster.infos(cluster.nodes)) {
                    assertEquals(leader.term(), info.term(), () -> "term moved\n" + cluster.logs());
                    assertEquals(leader.node().addr(), info.leader(), () -> "leader moved\n" + cluster.logs());
                }
                Thread.sleep(50);
            }

            NodeProcess leaderNode = leader.node();
            NodeProcess follower = cluster.nodes.stream()
                    .filter(n -> n != leaderNode)
                    .findFirst()
                    .orElseThrow();
            HttpResponse<String> redirect = follower.get("/kv/some-key?x=1&y=%20z");
            assertEquals(307, redirect.statusCode());
            assertEquals(
                    "http://" + leaderNode.addr() + "/kv/some-key?x=1&y=%20z",
                    redirect.headers().firstValue("Location").orElse(null));
            HttpResponse<String> clearRedirect = follower.delete("/clear");
            assertEquals(307, clearRedirect.statusCode());
            assertEquals(
                    "http://" + leaderNode.addr() + "/clear",
                    clearRedirect.headers().firstValue("Location").orElse(null));

            for (int i = 0; i < 20; i++) {
                assertEquals(200, leaderNode.put("/kv/r" + i, "v" + i).statusCode());
            }
            assertEquals(200, leaderNode.delete("/kv/r0").statusCode());
            SingleNodeTest.assertResponse(200, "v7", leaderNode.get("/kv/r7"));
            SingleNodeTest.assertResponse(404, "key not found", leaderNode.get("/kv/r0"));
            awaitLogsReach(cluster, cluster.nodes, 22);

            leaderNode.kill();
            List<NodeProcess> survivors =
                    cluster.nodes.stream().filter(n -> n != leaderNode).toList();
            TestCluster.Info next = cluster.awaitAgreedLeader(survivors, 3_000, i -> i.term() > leader.term())
                    .orElseThrow(() -> new AssertionError("no new leader within 3 s\n" + cluster.logs()));
            assertNotEquals(leaderNode, next.node());
            SingleNodeTest.assertResponse(200, "v19", next.node().get("/kv/r19"));
            SingleNodeTest.assertResponse(404, "key not found", next.node().get("/kv/r0"));

            leaderNode.start();
            assertTrue(
                    cluster.awaitAgreedLeader(cluster.nodes, 3_000, i -> i.node() == next.node())
                            .isPresent(),
                    () -> "the old leader did not rejoin as follower\n" + cluster.logs());

            // Without a quorum the leader steps down and every node answers 503.
            List<NodeProcess> others =
                    cluster.nodes.stream().filter(n -> n != next.node()).toList();
            others.get(0).kill();
            others.get(1).kill();
            others.get(2).kill();
            List<NodeProcess> minority = List.of(next.node(), others.get(3));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            boolean leaderless = false;
            while (!leaderless && System.nanoTime() < deadline) {
                leaderless = cluster.infos(minority).stream().noneMatch(TestCluster.Info::isLeader)
                        && minority.stream().allMatch(n -> status(n, "/kv/r5") == 503);
                Thread.sleep(50);
            }
            assertTrue(leaderless, () -> "the minority kept a leader\n" + cluster.logs());
            for (TestCluster.Info info : cluster.infos(minority)) {
                assertEquals(null, info.leader());
            }
        }
    }

    static void awaitHealthy(TestCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NodeProcess.HEALTH_TIMEOUT_SECONDS);
        for (NodeProcess node : cluster.nodes) {
            while (status(node, "/health") != 200) {
                assertTrue(node.isRunning(), () -> node.name + " died\n" + node.log());
                assertTrue(System.nanoTime() < deadline, () -> node.name + " never became healthy\n" + node.log());
                Thread.sleep(20);
            }
        }
    }

    static void awaitLogsReach(TestCluster cluster, List<NodeProcess> nodes, long commitIndex)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (NodeProcess node : nodes) {
            while (true) {
                Optional<Long> commit = commitIndex(node);
                if (commit.isPresent() && commit.get() >= commitIndex) {
                    break;
                }
                assertFalse(
                        System.nanoTime() > deadline,
                        () -> node.name + " commit index stuck at " + commitIndex(node) + "\n" + cluster.logs());
                Thread.sleep(20);
            }
        }
    }

    private static Optional<Long> commitIndex(NodeProcess node) {
        try {
            HttpResponse<String> response = node.get("/log");
            String body = response.body();
            int at = body.indexOf("\"commit-index\":");
            if (at < 0) {
                return Optional.empty();
            }
            int start = at + "\"commit-index\":".length();
            int end = start;
            while (end < body.length() && Character.isDigit(body.charAt(end))) {
                end++;
            }
            return Optional.of(Long.parseLong(body.substring(start, end)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static int status(NodeProcess node, String path) {
        return status(node, "GET", path, null);
    }

    static int status(NodeProcess node, String method, String path, String body) {
        try {
            return node.send(method, path, body).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
