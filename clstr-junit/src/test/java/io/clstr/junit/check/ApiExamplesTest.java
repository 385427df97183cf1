package io.clstr.junit.check;

import static io.clstr.junit.check.Select.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

import io.clstr.junit.Node;
import io.clstr.junit.internal.check.HttpChecks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The author-facing examples, as written, against a fake five-node key-value cluster led by n1. */
class ApiExamplesTest {

    private final FakeCluster ctx = new FakeCluster(5);
    private final Map<String, String> store = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        ctx.close();
    }

    private FakeServer.Reply leader(FakeServer.Received r) {
        String key = r.target().startsWith("/kv/") ? r.target().substring(4) : null;
        if (r.target().equals("/cluster/info")) {
            return FakeServer.json(
                    "{\"role\":\"leader\",\"term\":2,\"leader\":null,\"peers\":[\"a\",\"b\",\"c\",\"d\"]}");
        }
        if (r.target().equals("/clear")) {
            return FakeServer.reply(405, "method not allowed\n");
        }
        return switch (r.method()) {
            case "PUT" -> {
                store.put(key, r.text());
                yield FakeServer.reply(200, "");
            }
            case "GET" ->
                store.containsKey(key)
                        ? FakeServer.reply(200, store.get(key))
                        : FakeServer.reply(404, "key not found\n");
            default -> FakeServer.reply(405, "method not allowed");
        };
    }

    private FakeServer.Reply follower(FakeServer.Received r) {
        if (r.target().equals("/cluster/info")) {
            return FakeServer.json("{\"role\":\"follower\",\"term\":2,\"leader\":\""
                    + ctx.node(1).addr() + "\"}");
        }
        return FakeServer.reply(307, "")
                .header("Location", "http://" + ctx.node(1).addr() + r.target());
    }

    @Test
    void examplesWorkAsWritten() {
        ctx.server(1).answer(this::leader);
        for (int i = 2; i <= 5; i++) {
            ctx.server(i).answer(this::follower);
        }
        Node n1 = ctx.node(1);
        Node n2 = ctx.node(2);
        Node f = ctx.node(3);
        store.put("k", "v12");

        HttpChecks checks = new HttpChecks(ctx);
        checks.get(atLeastOne(), "/cluster/info")
                .eventually(Duration.ofSeconds(3))
                .status(200)
                .json("role", "leader")
                .hint("No leader after 3 s. A candidate needs votes from a majority (3 of 5).")
                .check();
        Node leader = checks.get(exactlyOne(), "/cluster/info")
                .json("role", "leader")
                .eventually(Duration.ofSeconds(3))
                .check()
                .node();
        assertThat(leader).isSameAs(n1);
        checks.put(node(n1), "/kv/a", "1").status(200).hint("...").check();
        checks.get(all(), "/kv/a").followRedirects().status(200).body("1").check();
        checks.get(node(n1), "/kv/missing").status(404).body("key not found").check();
        checks.get(allExcept(n1), "/kv/a")
                .status(307)
                .header("Location", "http://" + n1.addr() + "/kv/a")
                .check();
        checks.get(node(n1), "/cluster/info")
                .json("peers", hasSize(4))
                .json("term", greaterThan(0))
                .json("leader", nullValue())
                .check();
        checks.get(nodes(n2, f), "/cluster/info")
                .consistently(Duration.ofMillis(300))
                .json("role", not("leader"))
                .check();
        checks.get(node(n1), "/kv/k").bodyMatches("v\\d+").check();
        store.put("k", "b");
        checks.get(node(n1), "/kv/k").bodyOneOf(List.of("a", "b")).check();
        checks.request("PATCH", node(n1), "/clear")
                .status(405)
                .body("method not allowed")
                .check();
        checks.get(node(f), "/kv/a").followRedirects().status(200).body("1").check();
        Response r = checks.send(n1, Request.get("/cluster/info"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json("term")).isEqualTo(2);
        assertThat(r.node()).isSameAs(n1);
        assertThat(r.error()).isNull();
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        LatencyStats stats = checks.concurrently(
                100, i -> checks.put(node(n1), "/kv/k" + i, "v" + i).status(200).check());
        assertThat(stats.count()).isEqualTo(100);
        assertThat(store).hasSize(102);
    }
}
