package io.clstr.junit.history;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clstr.junit.testnode.FixedNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake kv-store node on a local port implementing {@code /kv/{key}}; its {@link Mode} makes it
 * answer normally, redirect to a leader, refuse (503), fail writes after applying them (500), fail
 * everything (500) or hang until closed.
 */
final class KvFake extends FixedNode implements AutoCloseable {

    /** How the fake answers. */
    enum Mode {
        NORMAL,
        REDIRECT,
        UNAVAILABLE,
        FAIL_WRITES,
        ERROR,
        HANG
    }

    private final HttpServer server;
    private final Map<String, String> data;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Mode mode = Mode.NORMAL;
    private volatile KvFake leader;

    KvFake(String name, Map<String, String> data) {
        super(name);
        this.data = data;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/kv/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** A node with its own empty store. */
    KvFake(String name) {
        this(name, new ConcurrentHashMap<>());
    }

    KvFake mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    KvFake redirectTo(KvFake leader) {
        this.leader = leader;
        return mode(Mode.REDIRECT);
    }

    Map<String, String> data() {
        return data;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String key = ex.getRequestURI().getPath().substring("/kv/".length());
            String method = ex.getRequestMethod();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (mode) {
                case HANG -> {
                    await();
                    answer(ex, 200, "too late");
                }
                case REDIRECT -> {
                    ex.getResponseHeaders().add("Location", "http://" + leader.addr() + "/kv/" + key);
                    answer(ex, 307, "");
                }
                case UNAVAILABLE -> answer(ex, 503, "no leader");
                case ERROR -> answer(ex, 500, "internal error");
                case FAIL_WRITES -> {
                    if (method.equals("GET")) {
                        serve(ex, method, key, body);
                    } else {
                        data.put(key, body);
                        answer(ex, 500, "applied, then crashed");
                    }
                }
                default -> serve(ex, method, key, body);
            }
        }
    }

    private void serve(HttpExchange ex, String method, String key, String body) throws IOException {
        switch (method) {
            case "GET" -> {
                String value = data.get(key);
                answer(ex, value == null ? 404 : 200, value == null ? "key not found" : value);
            }
            case "PUT" -> {
                data.put(key, body);
                answer(ex, 200, "");
            }
            case "DELETE" -> {
                data.remove(key);
                answer(ex, 200, "");
            }
            default -> answer(ex, 405, "method not allowed");
        }
    }

    private void await() {
        try {
            closing.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    @Override
    public String addr() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public URI uri() {
        return URI.create("http://" + addr());
    }
}
