package io.clstr.reference.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stages 1-3 on one node: the HTTP contract, graceful restarts, crashes; and a few bugs. */
class SingleNodeTest {

    private static NodeProcess node(String test, String bug) throws IOException {
        return new NodeProcess("n1", NodeProcess.freePort(), List.of(), NodeProcess.workDir(test), bug);
    }

    @Test
    void keyValueContract() throws Exception {
        try (NodeProcess n = node("contract", null).start()) {
            assertEquals(200, n.put("/kv/Key", "first").statusCode());
            assertEquals(200, n.put("/kv/Key", "second").statusCode());
            assertResponse(200, "second", n.get("/kv/Key"));
            assertResponse(404, "key not found", n.get("/kv/key"));
            assertResponse(404, "key not found", n.get("/kv/missing"));

            String unicode = "héllo wörld ✓ 日本語 🎉 \t spaces & symbols !@#$%^*()";
            assertEquals(200, n.put("/kv/unicode", unicode).statusCode());
            HttpResponse<byte[]> raw = rawGet(n, "/kv/unicode");
            assertEquals(unicode, new String(raw.body(), StandardCharsets.UTF_8));
            assertTrue(raw.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

            String longKey = "k".repeat(100);
            String longValue = "v".repeat(10_000);
            assertEquals(200, n.put("/kv/" + longKey, longValue).statusCode());
            assertResponse(200, longValue, n.get("/kv/" + longKey));
            assertEquals(200, n.put("/kv/a:b_c.d-e", "x").statusCode());
            assertResponse(200, "x", n.get("/kv/a:b_c.d-e"));

            assertResponse(400, "value cannot be empty", n.put("/kv/k", ""));
            assertResponse(400, "key cannot be empty", n.put("/kv/", "v"));
            assertResponse(400, "key cannot be empty", n.get("/kv/"));
            assertResponse(400, "key cannot be empty", n.delete("/kv/"));

            assertEquals(200, n.delete("/kv/Key").statusCode());
            assertResponse(404, "key not found", n.get("/kv/Key"));
            assertEquals(200, n.delete("/kv/Key").statusCode());
            assertEquals(200, n.put("/kv/Key", "again").statusCode());
            assertResponse(200, "again", n.get("/kv/Key"));

            for (String method : List.of("POST", "PATCH")) {
                assertResponse(405, "method not allowed", n.send(method, "/kv/Key", "x"));
            }
            for (String method : List.of("GET", "POST", "PUT", "PATCH")) {
                assertResponse(405, "method not allowed", n.send(method, "/clear", method.equals("GET") ? null : "x"));
            }
            assertEquals(200, n.delete("/clear").statusCode());
            assertResponse(404, "key not found", n.get("/kv/unicode"));
            assertResponse(404, "key not found", n.get("/kv/Key"));

            HttpResponse<String> info = n.get("/cluster/info");
            assertEquals(200, info.statusCode());
            assertTrue(info.body().contains("\"role\":\"leader\""), info.body());
        }
    }

    @Test
    void concurrentWritesSurviveCrashAndGracefulRestart() throws Exception {
        NodeProcess n = node("durability", null).start();
        try {
            long started = System.nanoTime();
            int failures = writeConcurrently(n, "c", 1000, 100, 50);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("1000 writes of 100 bytes, 50 in flight: %d ms%n", millis);
            assertEquals(0, failures, "failed writes");
            assertEquals(200, n.put("/kv/gone", "x").statusCode());
            assertEquals(200, n.delete("/kv/gone").statusCode());

            n.kill();
            n.start();
            assertAllPresent(n, "c", 1000, 100);
            assertEquals(404, n.get("/kv/gone").statusCode());

            assertEquals(200, n.put("/kv/late", "after restart").statusCode());
            assertEquals(200, n.delete("/clear").statusCode());
            assertEquals(200, n.put("/kv/survivor", "s").statusCode());
            n.stop();
            n.start();
            assertEquals(404, n.get("/kv/c-1").statusCode());
            assertEquals(404, n.get("/kv/late").statusCode());
            assertResponse(200, "s", n.get("/kv/survivor"));
        } finally {
            n.kill();
        }
    }

    @Test
    void unknownBugRefusesToStart() throws Exception {
        NodeProcess n = node("unknown-bug", "no-such-bug").launch();
        assertTrue(n.process().waitFor(10, TimeUnit.SECONDS), "a node with an unknown bug must exit");
        assertNotEquals(0, n.process().exitValue());
        assertTrue(n.log().contains("no-such-bug"), n.log());
    }

    @Test
    void ackBeforeSyncLosesWritesOnCrashOnly() throws Exception {
        assertLosesTheLastWriteOnCrashOnly("ack-before-sync", "the bug should lose the write on SIGKILL");
    }

    @Test
    void replayDropsLastEntryOnlyAfterACrash() throws Exception {
        assertLosesTheLastWriteOnCrashOnly(
                "replay-drops-last-entry", "the bug should drop the last write after SIGKILL");
    }

    /** With {@code bug} on, a write survives SIGTERM, but the last write before a SIGKILL is gone. */
    private void assertLosesTheLastWriteOnCrashOnly(String bug, String why) throws Exception {
        NodeProcess n = node(bug, bug).start();
        try {
            assertEquals(200, n.put("/kv/a", "1").statusCode());
            n.stop();
            n.start();
            assertResponse(200, "1", n.get("/kv/a"));
            assertEquals(200, n.put("/kv/b", "2").statusCode());
            n.kill();
            n.start();
            assertEquals(404, n.get("/kv/b").statusCode(), why);
        } finally {
            n.kill();
        }
    }

    @Test
    void unsafeMapLosesConcurrentWrites() throws Exception {
        try (NodeProcess n = node("unsafe-map", "unsafe-map").start()) {
            assertEquals(200, n.put("/kv/one", "1").statusCode());
            assertResponse(200, "1", n.get("/kv/one"));
            assertEquals(0, writeConcurrently(n, "u", 100, 10, 50));
            int missing = 0;
            for (int i = 0; i < 100; i++) {
                if (n.get("/kv/u-" + i).statusCode() == 404) {
                    missing++;
                }
            }
            assertTrue(missing > 0, "the bug should lose some of 100 concurrent writes");
        }
    }

    @Test
    void caseInsensitiveKeysBugMergesKeys() throws Exception {
        try (NodeProcess n =
                node("case-insensitive-keys", "case-insensitive-keys").start()) {
            assertEquals(200, n.put("/kv/Key", "v").statusCode());
            assertEquals(200, n.get("/kv/key").statusCode());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Writes {@code count} keys {@code prefix-i} with {@code size}-byte values; returns failures. */
    static int writeConcurrently(NodeProcess n, String prefix, int count, int size, int inFlight)
            throws InterruptedException {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return writeConcurrently(n, prefix, all, size, inFlight).size();
    }

    /** Writes the keys {@code prefix-i} for each i of {@code indexes} with {@code size}-byte values; returns those not answered 200. */
    static List<Integer> writeConcurrently(NodeProcess n, String prefix, List<Integer> indexes, int size, int inFlight)
            throws InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore slots = new Semaphore(inFlight);
        List<Integer> failures = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i : indexes) {
            slots.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + n.addr() + "/kv/" + prefix + "-" + i))
                    .timeout(Duration.ofSeconds(5))
                    .PUT(HttpRequest.BodyPublishers.ofString(value(i, size)))
                    .build();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        if (error != null || response.statusCode() != 200) {
                            failures.add(i);
                            System.err.println("PUT " + request.uri() + " failed: "
                                    + (error != null
                                            ? error
                                            : "status " + response.statusCode() + " " + response.body()));
                        }
                        slots.release();
                    }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
                .handle((v, e) -> null)
                .join();
        return List.copyOf(failures);
    }

    static void assertAllPresent(NodeProcess n, String prefix, int count, int size) throws Exception {
        for (int i = 0; i < count; i++) {
            assertResponse(200, value(i, size), n.get("/kv/" + prefix + "-" + i));
        }
    }

    static String value(int i, int size) {
        String head = "value-" + i + "-";
        return head + "x".repeat(Math.max(0, size - head.length()));
    }

    static void assertResponse(int status, String body, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), () -> "body: " + response.body());
        assertEquals(body, response.body());
    }

    private static HttpResponse<byte[]> rawGet(NodeProcess n, String path) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(
                HttpRequest.newBuilder(URI.create("http://" + n.addr() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
