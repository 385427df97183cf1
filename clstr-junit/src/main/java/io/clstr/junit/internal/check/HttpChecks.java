package io.clstr.junit.internal.check;

import io.clstr.junit.Node;
import io.clstr.junit.check.CheckReturnValue;
import io.clstr.junit.check.HttpCheck;
import io.clstr.junit.check.LatencyStats;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.check.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * Entry point of HTTP checks on a cluster:
 * <pre>{@code
 * checks.get(atLeastOne(), "/cluster/info").eventually(Duration.ofSeconds(3))
 *       .status(200).json("role", "leader")
 *       .hint("No leader after 3 s. A candidate needs votes from a majority (3 of 5).")
 *       .check();
 * }</pre>
 */
public final class HttpChecks {

    /** Operations in flight at most in {@link #concurrently(int, IntConsumer)}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 50;

    private final CheckContext ctx;

    public HttpChecks(CheckContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    @CheckReturnValue
    public HttpCheck get(Selector nodes, String path) {
        return request(nodes, Request.get(path));
    }

    /** A PUT with {@code body} (UTF-8). */
    @CheckReturnValue
    public HttpCheck put(Selector nodes, String path, String body) {
        return request(nodes, Request.put(path, body));
    }

    /** A POST with {@code body} (UTF-8). */
    @CheckReturnValue
    public HttpCheck post(Selector nodes, String path, String body) {
        return request(nodes, Request.post(path, body));
    }

    @CheckReturnValue
    public HttpCheck delete(Selector nodes, String path) {
        return request(nodes, Request.delete(path));
    }

    /** A request with any method and no body, such as {@code request("PATCH", node(n1), "/clear")}. */
    @CheckReturnValue
    public HttpCheck request(String method, Selector nodes, String path) {
        return request(nodes, Request.of(method, path));
    }

    /** A request with any method and a body. */
    @CheckReturnValue
    public HttpCheck request(String method, Selector nodes, String path, String body) {
        return request(nodes, Request.of(method, path).withBody(body));
    }

    /** A check of a prepared request, such as {@code request(node(n1), Request.put("/kv/a", "1").withHeader(...))}. */
    @CheckReturnValue
    public HttpCheck request(Selector nodes, Request request) {
        return new HttpCheck(ctx, nodes, request);
    }

    /** Sends one request with no expectations (the stage's timeout unless the request sets one). */
    public Response send(Node node, Request request) {
        Request sent = request.timeout() == null ? request.withTimeout(ctx.requestTimeout()) : request;
        return ctx.http().send(node, sent);
    }

    /** Sends {@code request} to every node given at once; the answers in the nodes' order. */
    public List<Response> ask(Collection<? extends Node> nodes, Request request) {
        Request sent = request.timeout() == null ? request.withTimeout(ctx.requestTimeout()) : request;
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (Node node : nodes) {
            answers.add(ctx.http().sendAsync(node, sent));
        }
        return Answers.join(answers, sent);
    }

    /**
     * Runs {@code op(0)} … {@code op(n-1)}, at most 50 at a time, and returns their latency stats,
     * also written to the timeline as {@code CONCURRENTLY: n ops: …}. After all have finished,
     * fails if any threw, with the count and the first failure.
     */
    public LatencyStats concurrently(int n, IntConsumer op) {
        return concurrently(null, n, DEFAULT_MAX_IN_FLIGHT, op);
    }

    /** As {@link #concurrently(int, IntConsumer)}, with at most {@code maxInFlight} at a time. */
    public LatencyStats concurrently(int n, int maxInFlight, IntConsumer op) {
        return concurrently(null, n, maxInFlight, op);
    }

    /** As {@link #concurrently(int, int, IntConsumer)}, named {@code label} on the timeline. */
    public LatencyStats concurrently(String label, int n, int maxInFlight, IntConsumer op) {
        return Concurrently.run(ctx, label, n, maxInFlight, op);
    }
}
