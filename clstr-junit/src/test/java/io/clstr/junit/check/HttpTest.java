package io.clstr.junit.check;

import static io.clstr.junit.check.FakeServer.reply;
import static io.clstr.junit.check.Select.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.NodeState;
import io.clstr.junit.internal.check.Http;
import io.clstr.junit.internal.check.HttpChecks;
import io.clstr.junit.testnode.UriNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpTest {

    private final FakeCluster cluster = new FakeCluster(3);
    private final HttpChecks checks = cluster.checks();
    private final FakeNode n1 = cluster.node(1);
    private final FakeNode n2 = cluster.node(2);
    private final FakeNode n3 = cluster.node(3);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        cluster.close();
    }

    /** Blocks the handler until the test ends (bounded, in case the test forgets). */
    private FakeServer.Reply hang() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return reply(200, "too late");
    }

    @Test
    void pathsArriveExactlyAsWritten() {
        List<String> paths = List.of(
                "/kv/",
                "/kv/a:b.c-d_e",
                "/kv/a%20b",
                "/kv/x?y=1&z=%2F",
                "//double",
                "/kv/a/../b",
                "/kv/%7E~",
                "/kv/a%2fb",
                "/clear");
        try (RawServer raw = new RawServer((nth, line) -> true)) {
            FakeNode node = new FakeNode("n9", "10.0.42.109:8080", raw.uri());
            for (String path : paths) {
                assertThat(checks.send(node, Request.get(path)).status()).isEqualTo(200);
            }
            assertThat(raw.received())
                    .containsExactlyElementsOf(
                            paths.stream().map(p -> "GET " + p + " HTTP/1.1").toList());
        }
        checks.get(node(n1), "/kv/a:b.c-d_e").status(200).check();
        assertThat(cluster.server(1).received())
                .extracting(FakeServer.Received::target)
                .containsExactly("/kv/a:b.c-d_e");
    }

    @Test
    void nonAsciiInAPathGoesOutAsUtf8PercentEncoded() {
        try (RawServer raw = new RawServer((nth, line) -> true)) {
            FakeNode node = new FakeNode("n9", "10.0.42.109:8080", raw.uri());
            checks.send(node, Request.get("/kv/é"));
            assertThat(raw.received()).containsExactly("GET /kv/%C3%A9 HTTP/1.1");
        }
    }

    @Test
    void pathsThatAreNotRequestTargetsAreRejectedUpFront() {
        assertThatThrownBy(() -> Request.get("/kv/a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "path is not a valid request target (percent-encode it, e.g. a space as %20): \"/kv/a b\"");
        assertThatThrownBy(() -> Request.get("kv/a")).hasMessage("path must start with /, was \"kv/a\"");
        assertThatThrownBy(() -> Request.get("/kv/a#b"))
                .hasMessage("path must not contain a fragment (#), was \"/kv/a#b\"");
    }

    @Test
    void bodiesAreUtf8BothWaysWhateverTheContentType() {
        String value = "héllo ✓ 日本語 🎉 \"quoted\"\n";
        cluster.server(1).answer(r -> new FakeServer.Reply(200, r.body(), Map.of())
                .header("Content-Type", "text/plain;charset=ISO-8859-1"));
        Response r = checks.send(n1, Request.put("/kv/u", value));
        assertThat(r.body()).isEqualTo(value);
        FakeServer.Received got = cluster.server(1).received().get(0);
        assertThat(got.body()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        assertThat(got.headers().get("Content-type")).containsExactly("text/plain; charset=utf-8");
        checks.put(node(n1), "/kv/u", value).status(200).body(value).check();
    }

    @Test
    void requestHeadersAreSent() {
        checks.post(node(n1), "/cluster/join", "{\"leader\":\"x\"}")
                .withHeader("Content-Type", "application/json")
                .status(200)
                .check();
        assertThat(cluster.server(1).received().get(0).headers().get("Content-type"))
                .containsExactly("application/json");
        assertThatThrownBy(() -> Request.get("/").withHeader("Host", "x"))
                .hasMessage("the HTTP client sets the Host header itself");
    }

    @Test
    void aTimeoutIsAnAnswerWithStatusMinusOne() {
        cluster.server(1).answer(r -> hang());
        long start = System.nanoTime();
        Response r = checks.send(n1, Request.put("/kv/a", "1").withTimeout(Duration.ofMillis(200)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(cluster.server(1).received()).as("a timeout is not retried").hasSizeLessThanOrEqualTo(1);
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.error()).isEqualTo("no answer within 200 ms");
        assertThat(r.unsent())
                .as("a request that timed out may have been processed")
                .isFalse();
        assertThat(r.body()).isEmpty();
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void aTimeoutFailsTheCheckWithItsNodeLine() {
        cluster.requestTimeout(Duration.ofMillis(300));
        cluster.server(2).answer(r -> hang());
        assertThatThrownBy(() -> checks.get(Select.all(), "/kv/a").status(200).check())
                .hasMessage("""
                        GET /kv/a on n1, n2, n3 → expected status 200 from each node, but 1 of 3 did not (n2)
                          n1 (%s): 200 "" — ok
                          n2 (%s): no answer within 300 ms
                          n3 (%s): 200 "" — ok""", n1.uri(), n2.uri(), n3.uri());
    }

    @Test
    void aCheckTimeoutOverridesTheStageTimeout() {
        cluster.server(1).answer(r -> hang());
        long start = System.nanoTime();
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/a")
                        .timeout(Duration.ofMillis(150))
                        .status(200)
                        .check())
                .hasMessageContaining("): no answer within 150 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aBodyThatStallsTimesOutToo() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (var s = server.accept();
                        OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[1024]);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    release.await(30, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // test over
                }
            });
            t.setDaemon(true);
            t.start();
            FakeNode slow =
                    new FakeNode("n9", "10.0.42.109:8080", URI.create("http://127.0.0.1:" + server.getLocalPort()));
            Response r = cluster.http().send(slow, Request.get("/").withTimeout(Duration.ofMillis(300)));
            assertThat(r.error()).isEqualTo("no answer within 300 ms");
            assertThat(r.noAnswer()).isEqualTo(Response.NoAnswer.TIMED_OUT);
        }
    }

    /**
     * An answer whose bytes keep coming, each well within the timeout, is cut off at twice the
     * timeout (100 bytes, one every 50 ms, would take 5 s).
     */
    @Test
    void anAnswerStillTricklingInAtTwiceTheTimeoutIsCutOff() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (var s = server.accept();
                        OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[1024]);
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100 && !release.await(50, TimeUnit.MILLISECONDS); i++) {
                        out.write('x');
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // test over
                }
            });
            t.setDaemon(true);
            t.start();
            FakeNode slow =
                    new FakeNode("n9", "10.0.42.109:8080", URI.create("http://127.0.0.1:" + server.getLocalPort()));
            long start = System.nanoTime();
            Response r = cluster.http().send(slow, Request.get("/").withTimeout(Duration.ofMillis(300)));
            assertThat(r.error()).isEqualTo("no answer within 300 ms");
            assertThat(r.noAnswer()).isEqualTo(Response.NoAnswer.TIMED_OUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    /**
     * A server whose accept queue is full (it listens with a backlog of 1 and accepts nothing):
     * the connection is never accepted, which is told apart from a request that got no answer; the
     * request was certainly not sent, and the check's failure says what a full queue means.
     */
    @Test
    void aConnectionTheServerDoesNotAcceptIsToldApartFromNoAnswer() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> waiting = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) { // fill the accept queue; later handshakes are not answered
                    java.net.Socket s = new java.net.Socket();
                    s.connect(server.getLocalSocketAddress(), 200);
                    waiting.add(s);
                }
            } catch (IOException full) {
                // the queue was full sooner
            }
            FakeNode busy =
                    new FakeNode("n9", "10.0.42.109:8080", URI.create("http://127.0.0.1:" + server.getLocalPort()));
            Response r = cluster.http().send(busy, Request.put("/kv/a", "1").withTimeout(Duration.ofMillis(500)));
            assertThat(r.error()).isEqualTo("connection not accepted within 400 ms");
            assertThat(r.noAnswer()).isEqualTo(Response.NoAnswer.NOT_ACCEPTED);
            assertThat(r.unsent())
                    .as("a request whose connection was never accepted was not sent")
                    .isTrue();

            cluster.requestTimeout(Duration.ofMillis(500));
            assertThatThrownBy(() ->
                            checks.put(node(busy), "/kv/a", "1").status(200).check())
                    .hasMessageContaining("): connection not accepted within 400 ms")
                    .hasMessageContaining("the server's accept queue is full")
                    .hasMessageContaining("request_queue_size");
            // In a concurrently summary the explanation is said once, under the first failure.
            assertThatThrownBy(() -> checks.concurrently(2, 1, i -> checks.put(node(busy), "/kv/a", "1")
                            .status(200)
                            .check()))
                    .satisfies(e -> assertThat(e.getMessage().split("accept queue is full", -1))
                            .as(e.getMessage())
                            .hasSize(2));
            for (java.net.Socket s : waiting) {
                s.close();
            }
        }
    }

    @Test
    void aRefusedConnectionIsAnAnswerWithStatusMinusOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        FakeNode dead = new FakeNode("n9", "10.0.42.109:8080", URI.create("http://127.0.0.1:" + port));
        Response r = checks.send(dead, Request.put("/kv/a", "1"));
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.error()).isEqualTo("connection refused");
        assertThat(r.noAnswer()).isEqualTo(Response.NoAnswer.REFUSED);
        assertThat(r).hasToString("n9 (http://127.0.0.1:" + port + "): connection refused");
        assertThat(r.unsent()).as("a refused request reached no server").isTrue();
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsStatusMinusOne() {
        try (RawServer closer = new RawServer((nth, line) -> false)) {
            FakeNode node = new FakeNode("n9", "10.0.42.109:8080", closer.uri());
            Response get = checks.send(node, Request.get("/kv/a"));
            assertThat(get.status()).isEqualTo(-1);
            assertThat(get.error()).startsWith("connection closed without a response");
            assertThat(get.noAnswer()).isEqualTo(Response.NoAnswer.CLOSED);
            Response put = checks.send(node, Request.put("/kv/a", "1"));
            assertThat(put.error()).startsWith("connection closed without a response");
            assertThat(put.unsent())
                    .as("the server read it and may have acted on it")
                    .isFalse();
            Response post = checks.send(node, Request.post("/queues/q/messages", "m"));
            assertThat(post.error()).startsWith("connection closed without a response");
            // idempotent requests are sent twice (java.net.http retries a GET itself; we retry a PUT), a POST once
            assertThat(closer.received())
                    .containsExactly(
                            "GET /kv/a HTTP/1.1",
                            "GET /kv/a HTTP/1.1",
                            "PUT /kv/a HTTP/1.1",
                            "PUT /kv/a HTTP/1.1",
                            "POST /queues/q/messages HTTP/1.1");
        }
    }

    @Test
    void aStalePooledConnectionIsRetriedOnce() {
        // Every connection answers its first request and drops the second, as a node that restarted would.
        try (RawServer restarting = new RawServer((nth, line) -> nth == 1)) {
            FakeNode node = new FakeNode("n9", "10.0.42.109:8080", restarting.uri());
            for (int i = 0; i < 10; i++) {
                Response r = checks.send(node, Request.put("/kv/k" + i, "v" + i));
                assertThat(r.error()).as("PUT %d", i).isNull();
                assertThat(r.status()).isEqualTo(200);
                Response g = checks.send(node, Request.get("/kv/k" + i));
                assertThat(g.error()).as("GET %d", i).isNull();
            }
            assertThat(restarting.dropped())
                    .as("requests that met a stale connection")
                    .isPositive();
            assertThat(restarting.received()).hasSize(20 + restarting.dropped());
        }
    }

    @Test
    void aPostOnAStaleConnectionIsNotRetried() {
        try (RawServer restarting = new RawServer((nth, line) -> nth == 1)) {
            FakeNode node = new FakeNode("n9", "10.0.42.109:8080", restarting.uri());
            int posts = 0;
            int failed = 0;
            for (int i = 0; i < 10 && failed == 0; i++) {
                assertThat(checks.send(node, Request.put("/kv/k", "v")).status())
                        .isEqualTo(200);
                Response post = checks.send(node, Request.post("/queues/q/messages", "m" + i));
                posts++;
                if (post.error() != null) {
                    failed++;
                    assertThat(post.status()).isEqualTo(-1);
                    assertThat(post.error()).startsWith("connection closed without a response");
                }
            }
            assertThat(failed).as("a POST that met a stale connection").isEqualTo(1);
            assertThat(restarting.received())
                    .filteredOn(l -> l.startsWith("POST"))
                    .hasSize(posts);
        }
    }

    @Test
    void aServerThatClosesIdleConnectionsStillAnswersEveryRequest() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (var s = server.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        // keep-alive answer (no Connection: close), then close at once
                        s.getOutputStream()
                                .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                                        .getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        // next
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            FakeNode node =
                    new FakeNode("n9", "10.0.42.109:8080", URI.create("http://127.0.0.1:" + server.getLocalPort()));
            for (int i = 0; i < 20; i++) {
                Response r = checks.send(node, Request.delete("/kv/k" + i));
                assertThat(r.error()).as("DELETE %d", i).isNull();
                assertThat(r.body()).isEqualTo("ok");
            }
        }
    }

    @Test
    void redirectsAreNotFollowedUnlessAsked() {
        cluster.server(2).answer(reply(307, "").header("Location", "http://" + n1.addr() + "/kv/a"));
        Response r = checks.send(n2, Request.get("/kv/a"));
        assertThat(r.status()).isEqualTo(307);
        assertThat(r.header("location")).isEqualTo("http://10.0.42.101:8080/kv/a");
        assertThat(cluster.server(1).received()).isEmpty();
    }

    @Test
    void aRedirectToANodesAddrGoesToThatNodesUri() {
        cluster.server(1).answer(r -> reply(200, "1 " + r.method() + " " + r.text()));
        cluster.server(2).answer(reply(307, "").header("Location", "http://" + n1.addr() + "/kv/a:b?x=%2F"));
        CheckResult result = checks.put(node(n2), "/kv/a:b?x=%2F", "1")
                .followRedirects()
                .status(200)
                .body("1 PUT 1")
                .check();
        Response r = result.response();
        assertThat(r.node()).isSameAs(n2);
        assertThat(r.answeredBy()).isSameAs(n1);
        assertThat(r.url()).isEqualTo(URI.create(n1.uri() + "/kv/a:b?x=%2F"));
        assertThat(cluster.server(1).received())
                .extracting(FakeServer.Received::target)
                .containsExactly("/kv/a:b?x=%2F");
        assertThat(r).hasToString("n2 (" + n2.uri() + ") → n1 (" + n1.uri() + "): 200 \"1 PUT 1\"");
    }

    @Test
    void a303RedirectBecomesAGet() {
        cluster.server(2)
                .answer(r ->
                        r.method().equals("POST") ? reply(303, "").header("Location", "/done") : reply(200, "done"));
        Response r = checks.send(n2, Request.post("/work", "x").withFollowRedirects(true));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("done");
        assertThat(cluster.server(2).received())
                .extracting(Object::toString)
                .containsExactly("POST /work", "GET /done");
        assertThat(cluster.server(2).received().get(1).body()).isEmpty();
    }

    @Test
    void aRedirectToAnUnknownHostFails() {
        cluster.server(2).answer(reply(307, "").header("Location", "http://10.9.9.9:8080/kv/a"));
        Response r = checks.send(n2, Request.get("/kv/a").withFollowRedirects(true));
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.error())
                .isEqualTo("307 to http://10.9.9.9:8080/kv/a, which is not the ADDR of any node "
                        + "(n1 10.0.42.101:8080, n2 10.0.42.102:8080, n3 10.0.42.103:8080)");
        assertThatThrownBy(() -> checks.get(node(n2), "/kv/a")
                        .followRedirects()
                        .status(200)
                        .hint("Redirect to the leader's ADDR.")
                        .check())
                .hasMessage("""
                        GET /kv/a on n2 → expected status 200
                          n2 (%s): 307 to http://10.9.9.9:8080/kv/a, which is not the ADDR of any node (n1 10.0.42.101:8080, n2 10.0.42.102:8080, n3 10.0.42.103:8080)
                        Hint: Redirect to the leader's ADDR.""", n2.uri());
    }

    @Test
    void aRedirectToTheNodesUriInsteadOfItsAddrFails() {
        cluster.server(2).answer(reply(307, "").header("Location", n1.uri() + "/kv/a"));
        Response r = checks.send(n2, Request.get("/kv/a").withFollowRedirects(true));
        assertThat(r.error()).startsWith("307 to " + n1.uri() + "/kv/a, which is not the ADDR of any node");
    }

    @Test
    void aRedirectLoopFails() {
        cluster.server(1).answer(reply(307, "").header("Location", "http://" + n2.addr() + "/kv/a"));
        cluster.server(2).answer(reply(307, "").header("Location", "http://" + n1.addr() + "/kv/a"));
        Response r = checks.send(n1, Request.get("/kv/a").withFollowRedirects(true));
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.error())
                .isEqualTo("more than 5 redirects: n1 → n2 → n1 → n2 → n1 → n2 → http://10.0.42.101:8080/kv/a");
        assertThat(cluster.server(1).received()).hasSize(3);
        assertThat(cluster.server(2).received()).hasSize(3);
    }

    @Test
    void responseAccessors() {
        cluster.server(1).answer(reply(201, "made").header("X-Thing", "a"));
        Response r = checks.send(n1, Request.get("/kv/a"));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("x-thing")).isEqualTo("a");
        assertThat(r.headers()).containsKey("X-THING");
        assertThat(r.header("nope")).isNull();
        assertThat(r.error()).isNull();
        assertThat(r.noAnswer()).isNull();
        assertThat(r.elapsed()).isPositive();
        assertThat(r.node()).isSameAs(n1);
        assertThat(r.answeredBy()).isSameAs(n1);
        assertThat(r.request()).isEqualTo(Request.get("/kv/a").withTimeout(cluster.requestTimeout()));
    }

    @Test
    void aNodeWithoutAUriIsAnError() {
        FakeNode spare = new FakeNode("n9", "10.0.42.109:8080", null);
        spare.state(NodeState.NEW);
        Response r = checks.send(spare, Request.get("/health"));
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.error()).isEqualTo("no URI to reach n9 (new)");
        assertThat(r.noAnswer()).isEqualTo(Response.NoAnswer.NOT_SENT);
    }

    @Test
    void sendAllAsksTheLastNodeFromTheCallingThreadAndAnswersInTheNodesOrder() {
        cluster.server(1).answer(r -> reply(200, "one"));
        cluster.server(2).answer(r -> reply(200, "two"));
        Probe first = new Probe("n1", cluster.server(1).uri());
        Probe last = new Probe("n2", cluster.server(2).uri());

        List<Response> answers = cluster.http().sendAll(List.of(first, last), Request.get("/"));

        assertThat(answers).extracting(Response::body).containsExactly("one", "two");
        assertThat(last.askedFrom).containsOnly(Thread.currentThread());
        assertThat(first.askedFrom).isNotEmpty().doesNotContain(Thread.currentThread());
    }

    /** A node that notes the threads its URI is read on: the threads its requests are sent from. */
    private static final class Probe extends UriNode {
        final List<Thread> askedFrom = new CopyOnWriteArrayList<>();

        Probe(String name, URI uri) {
            super(name, uri);
        }

        @Override
        public URI uri() {
            askedFrom.add(Thread.currentThread());
            return super.uri();
        }
    }

    @Test
    void aClosedClientRefusesToSend() {
        Http http = new Http(List::of);
        http.close();
        assertThatThrownBy(() -> http.send(n1, Request.get("/"))).isInstanceOf(IllegalStateException.class);
    }
}
