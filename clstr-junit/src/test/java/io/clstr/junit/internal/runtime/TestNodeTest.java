package io.clstr.junit.internal.runtime;

import static io.clstr.junit.internal.runtime.Fixture.get;
import static io.clstr.junit.internal.runtime.Fixture.json;
import static io.clstr.junit.internal.runtime.Fixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-only node program itself: what other tests rely on it to do. */
class TestNodeTest {

    @TempDir
    Path folder;

    @Test
    void callReachesAPeerReportsFailuresAndTimesOutOnSilence() throws Exception {
        try (Fixture f = new Fixture(folder, 2)) {
            ProcessNode n1 = f.started(1, Map.of());
            ProcessNode n2 = f.started(2, Map.of());
            String to = "127.0.0.1:" + f.ports.ports().get(1);

            JsonNode put = call(n1, to, "PUT", "/data/greeting", "héllo", 5000);
            assertThat(put.get("status").asInt()).isEqualTo(200);
            assertThat(put.get("error").isNull()).isTrue();
            assertThat(get(n2, "/data/greeting").body()).isEqualTo("héllo");
            JsonNode read = call(n1, to, "GET", "/data/greeting", "", 5000);
            assertThat(read.get("body").asText()).isEqualTo("héllo");

            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                String nobody = "127.0.0.1:" + closed.getLocalPort();
                closed.close();
                JsonNode refused = call(n1, nobody, "GET", "/", "", 2000);
                assertThat(refused.get("status").asInt()).isEqualTo(-1);
                assertThat(refused.get("error").asText()).contains("Connection refused");
            }

            try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                // accepts connections (in its backlog) and never answers, like a black-holed proxy
                JsonNode silence = call(n1, "127.0.0.1:" + silent.getLocalPort(), "GET", "/", "", 300);
                assertThat(silence.get("status").asInt()).isEqualTo(-1);
                assertThat(silence.get("error").asText()).contains("Timeout");
                assertThat(silence.get("elapsed-ms").asLong()).isGreaterThanOrEqualTo(300);
            }
        }
    }

    @Test
    void ingestCountsBytes() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());

            assertThat(send(node.uri(), "POST", "/ingest", "x".repeat(100_000), Duration.ofSeconds(10))
                            .body())
                    .isEqualTo("100000");
            send(node.uri(), "POST", "/ingest", "abc", Duration.ofSeconds(10));

            assertThat(get(node, "/ingested").body()).isEqualTo("100003");
            assertThat(get(node, "/nothing-here").statusCode()).isEqualTo(404);
        }
    }

    private static JsonNode call(ProcessNode from, String to, String method, String path, String body, int timeoutMs)
            throws Exception {
        String query = "/call?to=" + enc(to) + "&method=" + method + "&path=" + enc(path) + "&body=" + enc(body)
                + "&timeout=" + timeoutMs;
        return json(send(from.uri(), "GET", query, null, Duration.ofMillis(timeoutMs + 10_000))
                .body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
