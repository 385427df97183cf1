package io.clstr.junit.check;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A loopback HTTP server whose answers a test sets; records every request as it arrived. */
final class FakeServer implements AutoCloseable {

    /** A request as the server saw it: the request target is raw, exactly as sent. */
    record Received(String method, String target, byte[] body, Map<String, List<String>> headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + target;
        }
    }

    /** What to answer. */
    record Reply(int status, byte[] body, Map<String, String> headers) {
        Reply header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, body, more);
        }
    }

    static Reply reply(int status, String body) {
        return new Reply(status, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply json(String json) {
        return reply(200, json).header("Content-Type", "application/json");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Reply> handler = r -> reply(200, "");

    private FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    static FakeServer start() {
        try {
            return new FakeServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers every request with this from now on. */
    FakeServer answer(Function<Received, Reply> handler) {
        this.handler = handler;
        return this;
    }

    FakeServer answer(Reply reply) {
        return answer(r -> reply);
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Received r = new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    exchange.getRequestBody().readAllBytes(),
                    new LinkedHashMap<>(exchange.getRequestHeaders()));
            received.add(r);
            Reply reply = handler.apply(r);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
