package io.clstr.junit.check;

import static io.clstr.junit.check.FakeServer.json;
import static io.clstr.junit.check.FakeServer.reply;
import static io.clstr.junit.check.Select.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.clstr.junit.NodeState;
import io.clstr.junit.internal.check.HttpChecks;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class ExpectationsTest {

    private static final String INFO = """
            {"id": "10.0.42.101:8080", "role": "follower", "term": 2, "leader": null,
             "peers": ["a", "b", "c", "d"], "commit-index": 7, "big": 5000000000, "ratio": 2.0,
             "entries": [{"term": 1, "command": "x"}, {"term": 2}], "nested": {"k-v": {"x": true}}}
            """;

    private final FakeCluster cluster = new FakeCluster(1);
    private final HttpChecks checks = cluster.checks();
    private final FakeNode n1 = cluster.node(1);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void statusAndBodyPass() {
        cluster.server(1).answer(reply(200, "1"));
        CheckResult result = checks.get(node(n1), "/kv/a").status(200).body("1").check();
        assertThat(result.node()).isSameAs(n1);
        assertThat(result.response().body()).isEqualTo("1");
        assertThat(result.responses()).hasSize(1);
        assertThat(result.attempts()).isEqualTo(1);
    }

    @Test
    void bodyIgnoresOneTrailingNewlineOnTheAnswer() {
        cluster.server(1).answer(reply(404, "key not found\n"));
        checks.get(node(n1), "/kv/missing").status(404).body("key not found").check();
        cluster.server(1).answer(reply(404, "key not found\r\n"));
        checks.get(node(n1), "/kv/missing").status(404).body("key not found").check();
        cluster.server(1).answer(reply(404, "key not found\n\n"));
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/missing")
                        .body("key not found")
                        .check())
                .isInstanceOf(AssertionFailedError.class);
        cluster.server(1).answer(reply(404, "key not found "));
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/missing")
                        .body("key not found")
                        .check())
                .isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void failedStatusAndBodyMessageIsExact() {
        cluster.server(1).answer(reply(200, "value"));
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/missing")
                        .status(404)
                        .body("key not found")
                        .hint("A GET for a key that was never written must return 404 with \"key not found\".")
                        .check())
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("""
                        GET /kv/missing on n1 → expected status 404 and body "key not found"
                          n1 (%s): 200 "value" — failed: status, body
                        Hint: A GET for a key that was never written must return 404 with "key not found".""", n1.uri())
                .satisfies(e -> {
                    AssertionFailedError afe = (AssertionFailedError) e;
                    assertThat(afe.getExpected().getValue()).isEqualTo("status 404 and body \"key not found\"");
                    assertThat(afe.getActual().getValue())
                            .isEqualTo("n1 (" + n1.uri() + "): 200 \"value\" — failed: status, body");
                });
    }

    @Test
    void onlyTheFailedExpectationIsNamed() {
        cluster.server(1).answer(reply(200, "other"));
        assertThatThrownBy(() -> checks.put(node(n1), "/kv/a", "1")
                        .status(200)
                        .body("1")
                        .hint("Store it.")
                        .check())
                .hasMessage("""
                        PUT /kv/a "1" on n1 → expected status 200 and body "1"
                          n1 (%s): 200 "other" — failed: body
                        Hint: Store it.""", n1.uri());
    }

    @Test
    void failedHeaderMessageIsExact() {
        cluster.server(1).answer(reply(307, "").header("Location", "http://10.0.42.103:8080/kv/a"));
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/a")
                        .status(307)
                        .header("location", "http://10.0.42.102:8080/kv/a")
                        .hint("Redirect to the leader's ADDR.")
                        .check())
                .hasMessage("""
                        GET /kv/a on n1 → expected status 307 and header location = "http://10.0.42.102:8080/kv/a"
                          n1 (%s): 307 "" Location: http://10.0.42.103:8080/kv/a — failed: header location was "http://10.0.42.103:8080/kv/a"
                        Hint: Redirect to the leader's ADDR.""", n1.uri());
    }

    @Test
    void missingHeaderSaysMissing() {
        cluster.server(1).answer(reply(307, ""));
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/a")
                        .header("Location", startsWith("http://"))
                        .check())
                .hasMessage("""
                        GET /kv/a on n1 → expected header Location a string starting with "http://"
                          n1 (%s): 307 "" — failed: header Location was missing""", n1.uri());
        checks.get(node(n1), "/kv/a").header("Location", nullValue()).check();
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        cluster.server(1).answer(reply(200, "").header("X-Leader", "n3"));
        checks.get(node(n1), "/")
                .header("x-leader", "n3")
                .header("X-LEADER", is("n3"))
                .check();
    }

    @Test
    void failedJsonMessageIsExact() {
        cluster.server(1).answer(json(INFO.replace("\n", "")));
        assertThatThrownBy(() -> checks.get(node(n1), "/cluster/info")
                        .status(200)
                        .json("role", "leader")
                        .json("term", greaterThan(2))
                        .json("voted-for", "n1")
                        .hint("Become leader.")
                        .check())
                .hasMessageStartingWith("GET /cluster/info on n1 → expected status 200, json \"role\" = \"leader\", "
                        + "json \"term\" a value greater than <2> and json \"voted-for\" = \"n1\"\n"
                        + "  n1 (" + n1.uri() + "): 200 \"{\"id\": \"10.0.42.101:8080\"")
                .hasMessageEndingWith("…\" (" + INFO.replace("\n", "").length() + " chars)"
                        + " — failed: json \"role\" was \"follower\", json \"term\" was 2, json \"voted-for\" was missing\n"
                        + "Hint: Become leader.");
    }

    @Test
    void failedJsonMessageWithHintIsExact() {
        cluster.server(1).answer(json("{\"role\":\"follower\",\"term\":2,\"leader\":null}"));
        assertThatThrownBy(() -> checks.get(node(n1), "/cluster/info")
                        .status(200)
                        .json("role", "leader")
                        .json("term", greaterThan(0))
                        .json("leader", "10.0.42.101:8080")
                        .hint("A node alone in its cluster must elect itself.")
                        .check())
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("""
                        GET /cluster/info on n1 → expected status 200, json "role" = "leader", json "term" a value greater than <0> and json "leader" = "10.0.42.101:8080"
                          n1 (%s): 200 "{"role":"follower","term":2,"leader":null}" — failed: json "role" was "follower", json "leader" was null
                        Hint: A node alone in its cluster must elect itself.""", n1.uri());
    }

    @Test
    void aPreparedRequestCanBeChecked() {
        cluster.server(1).answer(r -> reply(200, r.method() + " " + r.text()));
        checks.request(node(n1), Request.of("PATCH", "/kv/a").withBody("x").withHeader("X-Client", "c1"))
                .status(200)
                .body("PATCH x")
                .check();
        checks.request("PATCH", node(n1), "/kv/a", "y").body("PATCH y").check();
        assertThat(cluster.server(1).received().get(0).headers().get("X-client"))
                .containsExactly("c1");
    }

    @Test
    void jsonValuesByPath() {
        cluster.server(1).answer(json(INFO));
        checks.get(node(n1), "/cluster/info")
                .json("role", "follower")
                .json("role", not("leader"))
                .json("term", 2)
                .json("term", 2L)
                .json("term", 2.0)
                .json("term", greaterThan(0))
                .json("ratio", closeTo(2.0, 0.01))
                .json("leader", nullValue())
                .json("leader", (Object) null)
                .json("missing", nullValue())
                .json("missing.deeper[3]", (Object) null)
                .json("peers", hasSize(4))
                .json("peers", List.of("a", "b", "c", "d"))
                .json("peers[1]", "b")
                .json("commit-index", 7)
                .json("big", 5_000_000_000L)
                .json("big", greaterThan(4_000_000_000L))
                .json("big", 5e9)
                .json("ratio", 2)
                .json("ratio", 2.0)
                .json("entries[0].term", 1)
                .json("entries[1].term", is(2))
                .json("entries[2].term", nullValue())
                .json("entries", hasSize(2))
                .json("nested.k-v.x", true)
                .json("nested", hasKey("k-v"))
                .json("entries[0]", Map.of("term", 1L, "command", "x"))
                .check();
    }

    @Test
    void aLongValueIsCutInTheMismatch() {
        String entries = IntStream.range(0, 500)
                .mapToObj(i -> "{\"index\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
        cluster.server(1).answer(json("{\"entries\": " + entries + "}"));
        assertThatThrownBy(() ->
                        checks.get(node(n1), "/log").json("entries", hasSize(3)).check())
                .hasMessageContaining("failed: json \"entries\" was [{\"index\":0},{\"index\":1}")
                .hasMessageContaining("… (500 items, " + entries.length() + " chars)")
                .hasMessageNotContaining("{\"index\":499}");
    }

    @Test
    void numbersOfOtherValuesFail() {
        cluster.server(1).answer(json("{\"term\": 2}"));
        assertThatThrownBy(() -> checks.get(node(n1), "/").json("term", 3).check())
                .hasMessageContaining("failed: json \"term\" was 2");
        assertThatThrownBy(() -> checks.get(node(n1), "/").json("term", "2").check())
                .hasMessageContaining("expected json \"term\" = \"2\"");
    }

    @Test
    void bodyThatIsNotJsonFailsClearly() {
        cluster.server(1).answer(reply(200, "leader"));
        assertThatThrownBy(() -> checks.get(node(n1), "/cluster/info")
                        .json("role", "leader")
                        .check())
                .hasMessage("""
                        GET /cluster/info on n1 → expected json "role" = "leader"
                          n1 (%s): 200 "leader" — failed: json "role" (body is not JSON)""", n1.uri());
        assertThatThrownBy(() -> checks.get(node(n1), "/cluster/info")
                        .json("role", nullValue())
                        .check())
                .hasMessageContaining("(body is not JSON)");
    }

    @Test
    void bodyMatchesTheWholeBody() {
        cluster.server(1).answer(reply(200, "v12\n"));
        checks.get(node(n1), "/kv/k").bodyMatches("v\\d+").check();
        assertThatThrownBy(
                        () -> checks.get(node(n1), "/kv/k").bodyMatches("\\d+").check())
                .hasMessage("""
                        GET /kv/k on n1 → expected body matching /\\d+/
                          n1 (%s): 200 "v12\\n" — failed: body""", n1.uri());
    }

    @Test
    void bodyOneOf() {
        cluster.server(1).answer(reply(200, "b"));
        checks.get(node(n1), "/kv/k").bodyOneOf(List.of("a", "b")).check();
        List<String> many = IntStream.range(0, 100).mapToObj(i -> "v" + i).toList();
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/k").bodyOneOf(many).check())
                .hasMessageStartingWith(
                        "GET /kv/k on n1 → expected body one of \"v0\", \"v1\", \"v2\", \"v3\", \"v4\" … (100 values)\n");
    }

    @Test
    void statusMatcher() {
        cluster.server(1).answer(reply(307, ""));
        checks.get(node(n1), "/").status(anyOf(is(200), is(307))).check();
        assertThatThrownBy(() -> checks.get(node(n1), "/").status(is(200)).check())
                .hasMessageStartingWith("GET / on n1 → expected status is <200>\n");
    }

    @Test
    void checkWithoutExpectationsNeedsAnAnswer() {
        cluster.server(1).answer(reply(500, "boom"));
        checks.get(node(n1), "/").check();
        n1.state(NodeState.KILLED);
        cluster.server(1).close();
        assertThatThrownBy(() -> checks.get(node(n1), "/").check()).hasMessage("""
                        GET / on n1 → expected a response
                          n1 (%s): connection refused""", n1.uri());
    }

    @Test
    void longBodiesAreCutAndEscaped() {
        String value = "x".repeat(300);
        cluster.server(1).answer(reply(200, "line\none\t" + value));
        assertThatThrownBy(() -> checks.get(node(n1), "/").status(404).check())
                .hasMessage("""
                        GET / on n1 → expected status 404
                          n1 (%s): 200 "line\\none\\t%s…" (309 chars) — failed: status""", n1.uri(), "x".repeat(191));
    }

    @Test
    void badJsonPathIsRejectedWhenTheCheckIsBuilt() {
        for (String bad : List.of("", "a..b", "a.", "a[x]", "a[", "a[1", "a]")) {
            assertThatThrownBy(() -> checks.get(node(n1), "/").json(bad, 1))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a JSON path");
        }
        assertThat(Json.steps("entries[0].term")).containsExactly("entries", 0, "term");
        assertThat(Json.steps("[2][0].commit-index")).containsExactly(2, 0, "commit-index");
        assertThat(Json.steps("a:b")).containsExactly("a:b");
    }

    @Test
    void jsonOfAResponse() {
        cluster.server(1).answer(json(INFO));
        Response r = checks.send(n1, Request.get("/cluster/info"));
        assertThat(r.json("term")).isEqualTo(2);
        assertThat(r.json("big")).isEqualTo(5_000_000_000L);
        assertThat(r.json("ratio")).isEqualTo(2.0);
        assertThat(r.json("leader")).isNull();
        assertThat(r.json("nope")).isNull();
        assertThat(r.json("peers")).isEqualTo(List.of("a", "b", "c", "d"));
        assertThat(r.json("entries[1]")).isEqualTo(Map.of("term", 2));
        cluster.server(1).answer(reply(200, "plain"));
        Response plain = checks.send(n1, Request.get("/cluster/info"));
        assertThatThrownBy(() -> plain.json("term"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("n1 (" + n1.uri() + "): 200 \"plain\": body is not JSON (reading \"term\")");
    }

    @Test
    void matcherSeesPlainJava() {
        cluster.server(1).answer(json("{\"peers\": [1, 2, 3]}"));
        checks.get(node(n1), "/").json("peers", contains(1, 2, 3)).check();
    }
}
