package io.clstr.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status codes, exact error bodies and wire details of the API, over plain HTTP. */
class RawApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static ToxiproxyServer server;
    private static TestServer echo;

    /** A response: status, the raw body and the headers (lower-case names). */
    record Reply(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void startServers() throws IOException {
        server = ToxiproxyServer.start("127.0.0.1", 0, 11);
        echo = TestServer.echo();
    }

    @AfterAll
    static void stopServers() throws IOException {
        server.close();
        echo.close();
    }

    @BeforeEach
    void deleteEveryProxy() throws Exception {
        JsonNode index = call("GET", "/proxies", null).json();
        for (String name : (Iterable<String>) index::fieldNames) {
            assertThat(call("DELETE", "/proxies/" + name, null).status()).isEqualTo(204);
        }
    }

    @Test
    void createAnswers201WithTheProxyAndTheRealPort() throws Exception {
        Reply reply = call(
                "POST",
                "/proxies",
                "{\"name\":\"web\",\"listen\":\"localhost:0\",\"upstream\":\"" + echo.address() + "\"}");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode proxy = reply.json();
        assertThat(fieldNames(proxy)).containsExactly("name", "listen", "upstream", "enabled", "toxics");
        assertThat(proxy.get("name").asText()).isEqualTo("web");
        assertThat(proxy.get("listen").asText()).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
        assertThat(proxy.get("upstream").asText()).isEqualTo(echo.address());
        assertThat(proxy.get("enabled").asBoolean()).isTrue();
        assertThat(proxy.get("toxics").isArray()).isTrue();
        assertThat(proxy.get("toxics")).isEmpty();
        assertThat(Wire.echoThrough(proxy.get("listen").asText(), "ping")).isEqualTo("ping");
    }

    @Test
    void createWithoutListenAddressListensOnEveryInterface() throws Exception {
        Reply reply = call("POST", "/proxies", "{\"name\":\"anywhere\",\"upstream\":\"" + echo.address() + "\"}");

        assertThat(reply.status()).isEqualTo(201);
        String listen = reply.json().get("listen").asText();
        assertThat(listen).matches("(\\[::\\]|0\\.0\\.0\\.0):\\d+");
        assertThat(Wire.echoThrough(listen, "any")).isEqualTo("any");
    }

    @Test
    void createWithEnabledFalseDoesNotListen() throws Exception {
        Reply reply = call(
                "POST",
                "/proxies",
                "{\"name\":\"idle\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address()
                        + "\",\"enabled\":false}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("enabled").asBoolean()).isFalse();
        assertThat(reply.json().get("listen").asText()).isEqualTo("127.0.0.1:0");
    }

    @Test
    void createChecksBodyThenNameThenUpstreamThenConflict() throws Exception {
        call("POST", "/proxies", proxyJson("taken"));

        assertError(call("POST", "/proxies", "{not json"), 400, "bad request body: ");
        assertError(call("POST", "/proxies", ""), 400, "bad request body: EOF");
        assertError(call("POST", "/proxies", "{\"name\": 5, \"upstream\": 7}"), 400, "bad request body: ");
        assertExactError(call("POST", "/proxies", "{}"), 400, "missing required field: name");
        assertExactError(call("POST", "/proxies", "{\"upstream\":\"x:1\"}"), 400, "missing required field: name");
        assertExactError(call("POST", "/proxies", "{\"name\":\"taken\"}"), 400, "missing required field: upstream");
        assertExactError(call("POST", "/proxies", proxyJson("taken")), 409, "proxy already exists");
    }

    @Test
    void createAnswers500WhenTheListenAddressIsTaken() throws Exception {
        try (ServerSocket occupied = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Reply reply = call(
                    "POST",
                    "/proxies",
                    "{\"name\":\"clash\",\"listen\":\"127.0.0.1:" + occupied.getLocalPort() + "\",\"upstream\":\""
                            + echo.address() + "\"}");

            assertError(reply, 500, "listen tcp 127.0.0.1:" + occupied.getLocalPort() + ": ");
            assertExactError(call("GET", "/proxies/clash", null), 404, "proxy not found");
        }
    }

    @Test
    void indexIsKeyedByNameInSortedOrder() throws Exception {
        for (String name : List.of("zeta", "alpha", "mid")) {
            assertThat(call("POST", "/proxies", proxyJson(name)).status()).isEqualTo(201);
        }

        Reply reply = call("GET", "/proxies", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(fieldNames(reply.json())).containsExactly("alpha", "mid", "zeta");
        assertThat(reply.body().indexOf("\"alpha\"")).isLessThan(reply.body().indexOf("\"mid\""));
        assertThat(reply.body().indexOf("\"mid\"")).isLessThan(reply.body().indexOf("\"zeta\""));
        assertThat(reply.json().get("mid").get("name").asText()).isEqualTo("mid");
    }

    @Test
    void getProxyAnswers200Or404() throws Exception {
        call("POST", "/proxies", proxyJson("shown"));

        Reply shown = call("GET", "/proxies/shown", null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().get("name").asText()).isEqualTo("shown");
        String listen = shown.json().get("listen").asText();
        assertThat(listen).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
        assertThat(Wire.echoThrough(listen, "real port")).isEqualTo("real port");
        assertExactError(call("GET", "/proxies/hidden", null), 404, "proxy not found");
    }

    @Test
    void updateMergesFieldsWithPostOrPatchAndIgnoresTheName() throws Exception {
        JsonNode created = call("POST", "/proxies", proxyJson("merge")).json();

        Reply disabled = call("PATCH", "/proxies/merge", "{\"enabled\":false}");
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("listen")).isEqualTo(created.get("listen"));
        assertThat(disabled.json().get("upstream")).isEqualTo(created.get("upstream"));

        Reply renamed = call("POST", "/proxies/merge", "{\"name\":\"other\",\"enabled\":true}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("merge");
        assertThat(renamed.json().get("enabled").asBoolean()).isTrue();
        assertThat(renamed.json().get("listen")).isEqualTo(created.get("listen"));
        assertExactError(call("GET", "/proxies/other", null), 404, "proxy not found");

        assertExactError(call("POST", "/proxies/missing", "{\"enabled\":true}"), 404, "proxy not found");
        assertError(call("PATCH", "/proxies/merge", "{\"enabled\":\"yes\"}"), 400, "bad request body: ");
    }

    @Test
    void deleteAnswers204WithNoBody() throws Exception {
        call("POST", "/proxies", proxyJson("doomed"));

        Reply deleted = call("DELETE", "/proxies/doomed", null);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertExactError(call("GET", "/proxies/doomed", null), 404, "proxy not found");
        assertExactError(call("DELETE", "/proxies/doomed", null), 404, "proxy not found");
    }

    @Test
    void createToxicAnswers200WithDefaults() throws Exception {
        call("POST", "/proxies", proxyJson("defaults"));

        Reply reply = call("POST", "/proxies/defaults/toxics", "{\"type\":\"latency\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json())
                .isEqualTo(JSON.readTree("{\"name\":\"latency_downstream\",\"type\":\"latency\","
                        + "\"stream\":\"downstream\",\"toxicity\":1.0,\"attributes\":{\"latency\":0,\"jitter\":0}}"));
    }

    @Test
    void everyToxicTypeEchoesAllItsAttributes() throws Exception {
        call("POST", "/proxies", proxyJson("types"));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("latency", List.of("latency", "jitter"));
        expected.put("bandwidth", List.of("rate"));
        expected.put("slow_close", List.of("delay"));
        expected.put("timeout", List.of("timeout"));
        expected.put("reset_peer", List.of("timeout"));
        expected.put("slicer", List.of("average_size", "size_variation", "delay"));
        expected.put("limit_data", List.of("bytes"));

        for (Map.Entry<String, List<String>> type : expected.entrySet()) {
            Reply reply = call(
                    "POST",
                    "/proxies/types/toxics",
                    "{\"type\":\"" + type.getKey() + "\",\"stream\":\"upstream\",\"attributes\":{}}");
            assertThat(reply.status()).as(type.getKey()).isEqualTo(200);
            assertThat(reply.json().get("name").asText()).isEqualTo(type.getKey() + "_upstream");
            assertThat(fieldNames(reply.json().get("attributes")))
                    .as(type.getKey())
                    .containsExactlyElementsOf(type.getValue());
        }
    }

    @Test
    void createToxicChecksBodyThenStreamThenTypeThenNameThenAttributes() throws Exception {
        call("POST", "/proxies", proxyJson("order"));
        call("POST", "/proxies/order/toxics", "{\"type\":\"latency\",\"name\":\"taken\"}");
        String path = "/proxies/order/toxics";

        assertError(call("POST", path, "{\"stream\":\"sideways\",\"type\":\"nope\""), 400, "bad request body: ");
        assertError(call("POST", path, "{\"stream\":5}"), 400, "bad request body: ");
        assertError(call("POST", path, "{\"type\":\"latency\",\"attributes\":[1]}"), 400, "bad request body: ");
        assertExactError(
                call("POST", path, "{\"stream\":\"sideways\",\"type\":\"nope\",\"name\":\"taken\"}"),
                400,
                "stream was invalid, can be either upstream or downstream");
        assertExactError(call("POST", path, "{\"type\":\"nope\",\"name\":\"taken\"}"), 400, "invalid toxic type");
        assertExactError(call("POST", path, "{\"name\":\"x\"}"), 400, "invalid toxic type");
        assertExactError(call("POST", path, "{\"type\":\"LATENCY\"}"), 400, "invalid toxic type");
        assertExactError(
                call("POST", path, "{\"type\":\"latency\",\"name\":\"taken\",\"attributes\":{\"latency\":\"slow\"}}"),
                409,
                "toxic already exists");
        assertError(
                call("POST", path, "{\"type\":\"latency\",\"name\":\"fresh\",\"attributes\":{\"latency\":\"slow\"}}"),
                400,
                "bad request body: ");
        assertError(
                call("POST", path, "{\"type\":\"latency\",\"name\":\"fresh\",\"attributes\":{\"latency\":1.5}}"),
                400,
                "bad request body: ");
        assertExactError(call("POST", "/proxies/absent/toxics", "{\"type\":\"latency\"}"), 404, "proxy not found");
        assertThat(call("GET", path, null).json()).hasSize(1);
    }

    @Test
    void toxicCanBeReadUpdatedAndDeleted() throws Exception {
        call("POST", "/proxies", proxyJson("life"));
        call(
                "POST",
                "/proxies/life/toxics",
                "{\"name\":\"lat\",\"type\":\"latency\",\"stream\":\"upstream\","
                        + "\"toxicity\":0.5,\"attributes\":{\"latency\":100,\"jitter\":10}}");
        String path = "/proxies/life/toxics/lat";

        Reply read = call("GET", path, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("attributes").get("latency").asLong()).isEqualTo(100);

        Reply jitter = call("POST", path, "{\"attributes\":{\"jitter\":5}}");
        assertThat(jitter.status()).isEqualTo(200);
        assertThat(jitter.json())
                .isEqualTo(JSON.readTree("{\"name\":\"lat\",\"type\":\"latency\",\"stream\":"
                        + "\"upstream\",\"toxicity\":0.5,\"attributes\":{\"latency\":100,\"jitter\":5}}"));

        Reply fixed = call(
                "PATCH",
                path,
                "{\"toxicity\":0.25,\"name\":\"renamed\",\"type\":\"bandwidth\"," + "\"stream\":\"downstream\"}");
        assertThat(fixed.status()).isEqualTo(200);
        assertThat(fixed.json())
                .isEqualTo(JSON.readTree("{\"name\":\"lat\",\"type\":\"latency\",\"stream\":"
                        + "\"upstream\",\"toxicity\":0.25,\"attributes\":{\"latency\":100,\"jitter\":5}}"));
        assertError(call("POST", path, "{\"toxicity\":\"high\"}"), 400, "bad request body: ");

        Reply deleted = call("DELETE", path, null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertExactError(call("GET", path, null), 404, "toxic not found");
        assertExactError(call("POST", path, "{\"toxicity\":1}"), 404, "toxic not found");
        assertExactError(call("DELETE", path, null), 404, "toxic not found");
        assertExactError(call("GET", "/proxies/absent/toxics/lat", null), 404, "proxy not found");
    }

    @Test
    void toxicsAreListedUpstreamFirst() throws Exception {
        call("POST", "/proxies", proxyJson("list"));
        call("POST", "/proxies/list/toxics", "{\"name\":\"d\",\"type\":\"timeout\",\"stream\":\"downstream\"}");
        call("POST", "/proxies/list/toxics", "{\"name\":\"u\",\"type\":\"timeout\",\"stream\":\"upstream\"}");

        Reply list = call("GET", "/proxies/list/toxics", null);
        Reply proxy = call("GET", "/proxies/list", null);

        assertThat(list.status()).isEqualTo(200);
        assertThat(names(list.json())).containsExactly("u", "d");
        assertThat(names(proxy.json().get("toxics"))).containsExactly("u", "d");
        assertExactError(call("GET", "/proxies/absent/toxics", null), 404, "proxy not found");
    }

    @Test
    void populateCreatesReplacesAndKeeps() throws Exception {
        Reply first = call(
                "POST",
                "/populate",
                "[" + proxyJson("p1") + ",{\"name\":\"p2\",\"listen\":" + "\"127.0.0.1:0\",\"upstream\":\""
                        + echo.address() + "\",\"enabled\":false}]");

        assertThat(first.status()).isEqualTo(201);
        assertThat(fieldNames(first.json())).containsExactly("proxies");
        assertThat(names(first.json().get("proxies"))).containsExactly("p1", "p2");
        assertThat(first.json().get("proxies").get(1).get("enabled").asBoolean())
                .isFalse();

        String p1Listen = first.json().get("proxies").get(0).get("listen").asText();
        Reply again = call(
                "POST",
                "/populate",
                "[{\"name\":\"p1\",\"listen\":\"" + p1Listen + "\",\"upstream\":\"" + echo.address() + "\"}]");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("proxies").get(0).get("listen").asText()).isEqualTo(p1Listen);
        assertThat(Wire.echoThrough(p1Listen, "kept")).isEqualTo("kept");
    }

    @Test
    void populateChecksEveryProxyBeforeCreatingAny() throws Exception {
        Reply reply = call("POST", "/populate", "[" + proxyJson("ok") + ",{\"name\":\"bad\"}]");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json())
                .isEqualTo(JSON.readTree(
                        "{\"error\":\"missing required field: upstream at proxy 2\",\"status\":400,\"proxies\":[]}"));
        assertExactError(call("GET", "/proxies/ok", null), 404, "proxy not found");
        Reply notAnArray = call("POST", "/populate", "{}");
        assertThat(notAnArray.status()).isEqualTo(400);
        assertThat(fieldNames(notAnArray.json())).containsExactly("error", "status", "proxies");
        assertThat(notAnArray.json().get("error").asText()).startsWith("bad request body: ");
    }

    @Test
    void resetAnswers204AndRestoresEveryProxy() throws Exception {
        call("POST", "/proxies", proxyJson("r"));
        call("POST", "/proxies/r/toxics", "{\"type\":\"timeout\",\"stream\":\"upstream\"}");
        call("POST", "/proxies/r", "{\"enabled\":false}");

        Reply reset = call("POST", "/reset", null);

        assertThat(reset.status()).isEqualTo(204);
        assertThat(reset.body()).isEmpty();
        JsonNode proxy = call("GET", "/proxies/r", null).json();
        assertThat(proxy.get("enabled").asBoolean()).isTrue();
        assertThat(proxy.get("toxics")).isEmpty();
        assertThat(Wire.echoThrough(proxy.get("listen").asText(), "again")).isEqualTo("again");
    }

    @Test
    void versionAnswersJson() throws Exception {
        Reply reply = call("GET", "/version", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(JSON.readTree("{\"version\":\"2.12.0\"}"));
        assertThat(reply.headers().get("content-type")).containsExactly("application/json");
    }

    @Test
    void unknownPathsAndMethodsAreRejectedWithAnErrorBody() throws Exception {
        assertExactError(call("GET", "/nowhere", null), 404, "not found");
        assertExactError(call("GET", "/proxies/a/b/c/d", null), 404, "not found");
        assertExactError(call("PUT", "/proxies", "{}"), 405, "method not allowed");
    }

    @Test
    void jsonSentAsFormDataIsAccepted() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/proxies"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(proxyJson("form")))
                .build();

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).get("name").asText()).isEqualTo("form");
    }

    @Test
    void oneConnectionCarriesManyRequestsWithContentLengthAndEmpty204() throws Exception {
        call("POST", "/proxies", proxyJson("keep"));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();

            out.write(request("GET /version", ""));
            RawResponse version = RawResponse.read(in);
            out.write(request("DELETE /proxies/keep", ""));
            RawResponse deleted = RawResponse.read(in);
            out.write(request("POST /proxies", proxyJson("kept")));
            RawResponse created = RawResponse.read(in);

            assertThat(version.status()).isEqualTo(200);
            assertThat(version.headers()).containsKey("content-length");
            assertThat(JSON.readTree(version.body()).get("version").asText()).isEqualTo("2.12.0");
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(deleted.body()).isEmpty();
            assertThat(deleted.headers().getOrDefault("content-length", "0")).isEqualTo("0");
            assertThat(deleted.headers()).doesNotContainKey("transfer-encoding");
            assertThat(created.status()).isEqualTo(201);
            assertThat(JSON.readTree(created.body()).get("name").asText()).isEqualTo("kept");
        }
    }

    private static byte[] request(String requestLine, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = requestLine + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        byte[] all = new byte[head.length() + bytes.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, all, 0, head.length());
        System.arraycopy(bytes, 0, all, head.length(), bytes.length);
        return all;
    }

    /** An HTTP/1.1 response read off a raw socket, its body delimited by Content-Length only. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        static RawResponse read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            String header;
            while (!(header = line(in)).isEmpty()) {
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed inside a response");
                }
                if (b != '\r') {
                    bytes.write(b);
                }
            }
            return bytes.toString(StandardCharsets.US_ASCII);
        }
    }

    private static String proxyJson(String name) {
        return "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}";
    }

    private static Reply call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded");
        builder.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                response.statusCode(), response.body(), response.headers().map());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static void assertExactError(Reply reply, int status, String message) throws IOException {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.json())
                .isEqualTo(JSON.createObjectNode().put("error", message).put("status", status));
    }

    private static void assertError(Reply reply, int status, String messagePrefix) throws IOException {
        assertThat(reply.status()).isEqualTo(status);
        JsonNode json = reply.json();
        assertThat(fieldNames(json)).containsExactly("error", "status");
        assertThat(json.get("error").asText()).startsWith(messagePrefix);
        assertThat(json.get("status").asInt()).isEqualTo(status);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(element -> names.add(element.get("name").asText()));
        return names;
    }
}
