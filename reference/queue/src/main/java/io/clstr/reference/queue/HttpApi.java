package io.clstr.reference.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The queue's HTTP API (spec/queue.md): {@code /queues/{q}/messages}, {@code /queues/{q}/receive},
 * {@code /queues/{q}/messages/{receipt}}, {@code .../visibility}, {@code /queues/{q}},
 * {@code /clear} and {@code /health}. Values and errors are text/plain, structures are JSON with
 * kebab-case keys.
 */
final class HttpApi {

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9:_.-]+");
    private static final long DEFAULT_VISIBILITY_SECONDS = 5;
    private static final long MAX_VISIBILITY_SECONDS = 300;
    private static final long ANSWER_SECONDS = 10;

    private final HttpServer server;
    private final ExecutorService executor;
    private final CommandLog log;
    private final QueueMachine machine;
    private final Bugs bugs;
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);

    HttpApi(int port, CommandLog log, QueueMachine machine, Bugs bugs) throws IOException {
        this.log = log;
        this.machine = machine;
        this.bugs = bugs;
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(32, 32, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread t = new Thread(runnable, "http");
                    t.setDaemon(true);
                    return t;
                });
        pool.prestartAllCoreThreads(); // every thread exists before the first burst of requests
        this.executor = pool;
        this.server = HttpServer.create(new InetSocketAddress(port), 512);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try {
            Outcome outcome = route(exchange);
            respond(exchange, outcome);
        } catch (RuntimeException e) {
            Log.info("%s %s failed: %s", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, Outcome.error(500, "internal error"));
        }
    }

    private Outcome route(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String[] parts = exchange.getRequestURI().getRawPath().split("/", -1);
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/health")) {
            return method.equals("GET") ? Outcome.ok("ok") : notAllowed();
        }
        if (path.equals("/clear")) {
            return method.equals("DELETE") ? commit(Command.clear()) : notAllowed();
        }
        if (parts.length < 3 || !parts[1].equals("queues")) {
            return Outcome.error(404, "not found");
        }
        String queue = decode(parts[2]);
        if (parts.length == 3) {
            return method.equals("GET") ? checked(queue, () -> Outcome.ok(machine.counts(queue))) : notAllowed();
        }
        if (parts.length == 4 && parts[3].equals("messages")) {
            return method.equals("POST") ? checked(queue, () -> send(queue, body(exchange))) : notAllowed();
        }
        if (parts.length == 4 && parts[3].equals("receive")) {
            return method.equals("POST") ? checked(queue, () -> receive(queue, query(exchange))) : notAllowed();
        }
        if (parts.length == 5 && parts[3].equals("messages")) {
            String receipt = decode(parts[4]);
            return method.equals("DELETE")
                    ? checked(queue, () -> commit(Command.delete(queue, receipt)))
                    : notAllowed();
        }
        if (parts.length == 6 && parts[3].equals("messages") && parts[5].equals("visibility")) {
            String receipt = decode(parts[4]);
            return method.equals("PUT")
                    ? checked(queue, () -> changeVisibility(queue, receipt, body(exchange)))
                    : notAllowed();
        }
        return Outcome.error(404, "not found");
    }

    private interface Action {
        Outcome run();
    }

    /** Runs {@code action} when {@code queue} is a valid name. */
    private static Outcome checked(String queue, Action action) {
        if (queue.isEmpty()) {
            return Outcome.error(400, "queue cannot be empty");
        }
        if (!QUEUE_NAME.matcher(queue).matches()) {
            return Outcome.error(400, "invalid queue name");
        }
        return action.run();
    }

    private Outcome send(String queue, String body) {
        if (body.isEmpty()) {
            return Outcome.error(400, "message cannot be empty");
        }
        long id = bugs.on(Bug.UNSAFE_IDS) ? machine.peekNextId(queue) : 0;
        return commit(Command.send(queue, body, id));
    }

    private Outcome receive(String queue, Map<String, String> query) {
        Long max = number(query.getOrDefault("max", "1"));
        if (max == null || max < 1 || max > 10) {
            return Outcome.error(400, "invalid max");
        }
        Long seconds = number(query.getOrDefault("visibility", Long.toString(DEFAULT_VISIBILITY_SECONDS)));
        if (seconds == null || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
            return Outcome.error(400, "invalid visibility timeout");
        }
        if (bugs.on(Bug.FIXED_VISIBILITY)) {
            seconds = DEFAULT_VISIBILITY_SECONDS;
        }
        String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return commit(Command.receive(queue, max.intValue(), TimeUnit.SECONDS.toMillis(seconds), nonce));
    }

    private Outcome changeVisibility(String queue, String receipt, String body) {
        String text = body.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        Long seconds = number(text);
        if (seconds == null || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
            return Outcome.error(400, "invalid visibility timeout");
        }
        return commit(Command.visibility(queue, receipt, TimeUnit.SECONDS.toMillis(seconds)));
    }

    /** Appends {@code command} to the log and waits for its outcome. */
    private Outcome commit(Command command) {
        CompletableFuture<Outcome> answer = log.append(command);
        try {
            return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.error(503, "node is stopping");
        } catch (ExecutionException | TimeoutException e) {
            return Outcome.error(503, "not committed");
        }
    }

    private static Outcome notAllowed() {
        return Outcome.error(405, "method not allowed");
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private static String body(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return query;
    }

    private void respond(HttpExchange exchange, Outcome outcome) {
        try {
            byte[] bytes;
            if (outcome.body() instanceof String text) {
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                bytes = text.getBytes(StandardCharsets.UTF_8);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                bytes = json.writeValueAsBytes(outcome.body());
            }
            exchange.sendResponseHeaders(outcome.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (JsonProcessingException e) {
            Log.info("cannot write %s: %s", outcome.body(), e);
        } catch (IOException e) {
            // the client went away
        } finally {
            exchange.close();
        }
    }
}
