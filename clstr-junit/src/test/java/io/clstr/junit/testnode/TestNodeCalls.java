package io.clstr.junit.testnode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.internal.ClusterAccess;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What tests ask a cluster of {@link TestNode}s: their environment, and node-to-node calls through the routes. */
public final class TestNodeCalls {
    /** Long enough for a request through a black hole to be certainly lost. */
    public static final int LOST_MS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cluster cluster;

    public TestNodeCalls(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The node's {@code GET /env} answer. */
    public JsonNode env(Node node) {
        return json(cluster.send(node, Request.get("/env")));
    }

    /** {@code from} sends {@code method path} to {@code to} through its route (PEERS); returns the node's report. */
    public JsonNode call(Node from, Node to, String method, String path, String body, int timeoutMs) {
        String query =
                "to=" + ClusterAccess.fabric(cluster).route(from.name(), to.name()) + "&method=" + method + "&path="
                        + URLEncoder.encode(path, StandardCharsets.UTF_8) + "&body="
                        + URLEncoder.encode(body, StandardCharsets.UTF_8) + "&timeout=" + timeoutMs;
        return json(cluster.send(from, Request.get("/call?" + query).withTimeout(Duration.ofMillis(timeoutMs + 5000))));
    }

    /** True when {@code from}'s health request to {@code to} through its route got an answer within {@link #LOST_MS}. */
    public boolean reaches(Node from, Node to) {
        return call(from, to, "GET", "/health", "", LOST_MS).get("status").asInt() == 200;
    }

    /** How many bytes the node has received on {@code POST /ingest}. */
    public long ingested(Node node) {
        return Long.parseLong(
                cluster.send(node, Request.get("/ingested")).body().trim());
    }

    private static JsonNode json(Response r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
