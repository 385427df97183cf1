package io.clstr.toxiproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Toxiproxy HTTP API on the JDK's HTTP server, with two worker threads. It never checks the Content-Type (the
 * official Java client labels its JSON as form data), answers with a Content-Length so connections stay alive,
 * and sends no body with 204.
 */
final class ApiServer implements AutoCloseable {
    static final String VERSION = "2.12.0";

    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final int WORKERS = 2;
    private static final int QUEUED_REQUESTS = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final ProxyRegistry registry;

    /** A status with a JSON body, or none (204). */
    private record Reply(int status, JsonNode body) {
        static Reply of(int status, JsonNode body) {
            return new Reply(status, body);
        }

        static Reply noContent() {
            return new Reply(204, null);
        }
    }

    private ApiServer(HttpServer server, ThreadPoolExecutor executor, ProxyRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    static ApiServer start(InetSocketAddress address, ProxyRegistry registry) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK, and
        // every request takes 40 ms more. The JDK reads this once, when the first HTTP server of the JVM starts.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                WORKERS,
                WORKERS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS),
                runnable -> {
                    Thread thread = new Thread(runnable, "clstr-toxiproxy-api-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            executor.shutdownNow();
            throw e;
        }
        ApiServer api = new ApiServer(server, executor, registry);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Reply reply;
            try {
                reply = route(
                        exchange.getRequestMethod(),
                        segments(exchange.getRequestURI().getRawPath()),
                        body);
            } catch (ApiException e) {
                reply = Reply.of(e.status(), Views.error(e.status(), e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "API request failed", e);
                reply = Reply.of(500, Views.error(500, String.valueOf(e.getMessage())));
            }
            send(exchange, reply);
        } finally {
            exchange.close();
        }
    }

    private Reply route(String method, List<String> path, byte[] body) throws ApiException {
        int size = path.size();
        String root = path.get(0);
        if (size == 1 && root.equals("proxies")) {
            return switch (method) {
                case "GET" -> Reply.of(200, Views.proxyIndex(registry.all()));
                case "POST" -> Reply.of(201, Views.proxy(registry.create(Requests.newProxy(Requests.parse(body)))));
                default -> methodNotAllowed();
            };
        }
        if (size == 1 && root.equals("populate")) {
            return method.equals("POST") ? populate(body) : methodNotAllowed();
        }
        if (size == 1 && root.equals("reset")) {
            if (!method.equals("POST")) {
                return methodNotAllowed();
            }
            registry.reset();
            return Reply.noContent();
        }
        if (size == 1 && root.equals("version")) {
            return method.equals("GET") ? Reply.of(200, Views.version(VERSION)) : methodNotAllowed();
        }
        if (root.equals("proxies") && size == 2) {
            return proxy(method, path.get(1), body);
        }
        if (root.equals("proxies") && size == 3 && path.get(2).equals("toxics")) {
            return toxics(method, path.get(1), body);
        }
        if (root.equals("proxies") && size == 4 && path.get(2).equals("toxics")) {
            return toxic(method, path.get(1), path.get(3), body);
        }
        throw new ApiException(404, "not found");
    }

    private Reply proxy(String method, String name, byte[] body) throws ApiException {
        switch (method) {
            case "GET":
                return Reply.of(200, Views.proxy(registry.get(name)));
            case "POST":
            case "PATCH":
                Proxy proxy = registry.get(name);
                return Reply.of(
                        200, Views.proxy(registry.update(name, Requests.proxyChange(Requests.parse(body), proxy))));
            case "DELETE":
                registry.delete(name);
                return Reply.noContent();
            default:
                return methodNotAllowed();
        }
    }

    private Reply toxics(String method, String proxyName, byte[] body) throws ApiException {
        switch (method) {
            case "GET":
                return Reply.of(200, Views.toxics(registry.get(proxyName).reportedToxics()));
            case "POST":
                registry.get(proxyName);
                return Reply.of(200, Views.toxic(registry.addToxic(proxyName, Requests.parse(body))));
            default:
                return methodNotAllowed();
        }
    }

    private Reply toxic(String method, String proxyName, String toxicName, byte[] body) throws ApiException {
        switch (method) {
            case "GET":
                return Reply.of(200, Views.toxic(registry.toxic(proxyName, toxicName)));
            case "POST":
            case "PATCH":
                registry.toxic(proxyName, toxicName);
                return Reply.of(200, Views.toxic(registry.updateToxic(proxyName, toxicName, Requests.parse(body))));
            case "DELETE":
                registry.removeToxic(proxyName, toxicName);
                return Reply.noContent();
            default:
                return methodNotAllowed();
        }
    }

    private Reply populate(byte[] body) {
        ProxyRegistry.Populated result;
        try {
            result = registry.populate(Requests.populate(Requests.parse(body)));
        } catch (ApiException e) {
            return Reply.of(
                    e.status(), Views.error(e.status(), e.getMessage()).set("proxies", Views.proxyList(List.of())));
        }
        if (result.failure() != null) {
            ApiException failure = result.failure();
            return Reply.of(
                    failure.status(),
                    Views.error(failure.status(), failure.getMessage())
                            .set("proxies", Views.proxyList(result.proxies())));
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.set("proxies", Views.proxyList(result.proxies()));
        return Reply.of(201, node);
    }

    private static Reply methodNotAllowed() throws ApiException {
        throw new ApiException(405, "method not allowed");
    }

    private static List<String> segments(String rawPath) throws ApiException {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        String[] parts = path.split("/", -1);
        try {
            for (int i = 0; i < parts.length; i++) {
                parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "not found");
        }
        return List.of(parts);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
