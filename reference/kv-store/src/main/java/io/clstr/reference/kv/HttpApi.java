package io.clstr.reference.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.Config;
import io.clstr.reference.raft.HttpReplies;
import io.clstr.reference.raft.Log;
import io.clstr.reference.raft.PeerClient;
import io.clstr.reference.raft.RaftEndpoints;
import io.clstr.reference.raft.RaftNode;
import io.clstr.reference.raft.Replica;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP face of a node: the key-value API for clients, {@code /cluster/info} and {@code /log}
 * for observers, and the Raft RPCs for peers. Paths are matched on the raw (undecoded) request
 * path, and redirects repeat the raw path and query exactly as received.
 *
 * <p>Requests that wait on the cluster (writes until committed, reads until confirmed) do not hold
 * a server thread: the response is sent when their future completes.
 */
final class HttpApi {

    private static final String TEXT = HttpReplies.TEXT;
    /** A request waiting on the cluster longer than this gets 500 (outcome unknown); clients time out well before. */
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(5);

    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(2);

    private final Config config;
    private final BugSwitch<Bug> bugs;
    private final RaftNode node;
    private final RaftEndpoints raft;
    private final KvStateMachine machine;
    private final PeerClient client;
    private final ExecutorService executor;
    /** Only with the bug lease-read. */
    private final ReadLease lease;

    private HttpServer server;

    HttpApi(Config config, BugSwitch<Bug> bugs, Replica replica, KvStateMachine machine) {
        this.config = config;
        this.bugs = bugs;
        this.node = replica.node();
        this.raft = replica.endpoints();
        this.machine = machine;
        this.client = replica.peers();
        this.lease = bugs.on(Bug.LEASE_READ) ? new ReadLease() : null;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // every thread exists before the first burst of requests: none is created while 50 wait
        ((ThreadPoolExecutor) executor).prestartAllCoreThreads();
    }

    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(config.port()), 512);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
        if (lease != null) {
            lease.close();
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            respond(exchange, 400, TEXT, e.getMessage());
        } catch (IOException | RuntimeException e) {
            Log.info("http: %s %s failed: %s", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, TEXT, "internal error: " + e.getMessage());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path == null) {
            respond(exchange, 400, TEXT, "bad request target");
            return;
        }
        if (RaftEndpoints.serves(path)) {
            raft.handle(exchange, method, path, body, executor);
            return;
        }
        switch (path) {
            case "/health" -> respond(exchange, 200, TEXT, "ok");
            case "/clear" -> {
                if (method.equals("DELETE")) {
                    keyValue(exchange, method, null, body);
                } else {
                    methodNotAllowed(exchange);
                }
            }
            default -> {
                if (path.equals("/kv") || path.startsWith("/kv/")) {
                    if (method.equals("GET") || method.equals("PUT") || method.equals("DELETE")) {
                        keyValue(exchange, method, path.length() > 4 ? path.substring(4) : "", body);
                    } else {
                        methodNotAllowed(exchange);
                    }
                } else {
                    respond(exchange, 404, TEXT, "not found");
                }
            }
        }
    }

    // ---------------------------------------------------------------- key-value API

    /** {@code key} is null for {@code /clear}. */
    private void keyValue(HttpExchange exchange, String method, String key, byte[] body) {
        RaftNode.Routing routing = node.routing();
        if (!routing.leader()) {
            notLeader(exchange, routing.leaderId(), method, body);
            return;
        }
        if (key == null) {
            clear(exchange);
            return;
        }
        if (key.isEmpty()) {
            respond(exchange, 400, TEXT, "key cannot be empty");
            return;
        }
        // BUG case-insensitive-keys: keys are folded to lower case.
        String effectiveKey = bugs.on(Bug.CASE_INSENSITIVE_KEYS) ? key.toLowerCase(Locale.ROOT) : key;
        switch (method) {
            case "GET" -> get(exchange, effectiveKey);
            case "PUT" -> put(exchange, effectiveKey, body);
            default -> delete(exchange, effectiveKey);
        }
    }

    private void get(HttpExchange exchange, String key) {
        // BUG stale-read: this node believes it leads (keyValue checked), so it answers from its own
        // map without confirming with a majority that no newer leader exists.
        // BUG lease-read: so it does while an earlier confirmed read's lease holds (ReadLease).
        if (bugs.on(Bug.STALE_READ) || (lease != null && lease.holds())) {
            read(exchange, key);
            return;
        }
        whenDone(exchange, node.readBarrier(), () -> {
            if (lease != null) {
                lease.renew();
            }
            read(exchange, key);
        });
    }

    private void read(HttpExchange exchange, String key) {
        byte[] value = machine.get(key);
        if (value == null) {
            respond(exchange, 404, TEXT, "key not found");
        } else {
            respond(exchange, 200, TEXT, value);
        }
    }

    private void put(HttpExchange exchange, String key, byte[] value) {
        // BUG empty-value-accepted: the empty-body check is missing.
        if (value.length == 0 && !bugs.on(Bug.EMPTY_VALUE_ACCEPTED)) {
            respond(exchange, 400, TEXT, "value cannot be empty");
            return;
        }
        if (bugs.on(Bug.UNSAFE_MAP)) {
            // BUG unsafe-map: copy the current map, add the key, wait for the log, swap the copy
            // in. Two PUTs in flight at once each swap in a map without the other's key.
            Map<String, byte[]> copy = machine.unsafeCopy();
            copy.put(key, value);
            whenDone(exchange, node.propose(Command.put(key, value).encode()), () -> {
                machine.unsafePublish(copy);
                respond(exchange, 200, TEXT, new byte[0]);
            });
            return;
        }
        whenDone(
                exchange,
                node.propose(Command.put(key, value).encode()),
                () -> respond(exchange, 200, TEXT, new byte[0]));
    }

    private void delete(HttpExchange exchange, String key) {
        if (bugs.on(Bug.DELETE_NOT_PERSISTED)) {
            // BUG delete-not-persisted: "deleting is idempotent, no need to log it".
            machine.apply(Command.delete(key));
            respond(exchange, 200, TEXT, new byte[0]);
            return;
        }
        whenDone(exchange, node.propose(Command.delete(key).encode()), () -> respond(exchange, 200, TEXT, new byte[0]));
    }

    private void clear(HttpExchange exchange) {
        if (bugs.on(Bug.CLEAR_NOT_PERSISTED)) {
            // BUG clear-not-persisted: the map is emptied, the log never hears of it.
            machine.apply(Command.clear());
            respond(exchange, 200, TEXT, new byte[0]);
            return;
        }
        whenDone(exchange, node.propose(Command.clear().encode()), () -> respond(exchange, 200, TEXT, new byte[0]));
    }

    /** Followers redirect to the leader they know; a node that knows none answers 503. */
    private void notLeader(HttpExchange exchange, String leader, String method, byte[] body) {
        if (leader == null) {
            respond(exchange, 503, TEXT, "no leader");
            return;
        }
        URI uri = exchange.getRequestURI();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (bugs.on(Bug.PROXY_NOT_REDIRECT)) {
            forward(exchange, leader, method, target, body);
            return;
        }
        exchange.getResponseHeaders().set("Location", "http://" + leader + target);
        respond(exchange, 307, TEXT, new byte[0]);
    }

    /** BUG proxy-not-redirect: relay the request to the leader and its answer back to the client. */
    private void forward(HttpExchange exchange, String leader, String method, String target, byte[] body) {
        String route = config.routes().getOrDefault(leader, leader);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        client.send(route, method, target, contentType, body, FORWARD_TIMEOUT)
                .whenCompleteAsync(
                        (response, error) -> {
                            if (error != null) {
                                respond(exchange, 503, TEXT, "leader unreachable");
                                return;
                            }
                            String location = response.headers().get("location");
                            if (location != null) {
                                exchange.getResponseHeaders().set("Location", location);
                            }
                            String type = response.headers().getOrDefault("content-type", TEXT);
                            respond(exchange, response.status(), type, response.body());
                        },
                        executor);
    }

    /** Runs {@code onSuccess} when {@code future} completes, or answers with the failure. */
    private void whenDone(HttpExchange exchange, CompletableFuture<?> future, Runnable onSuccess) {
        future.orTimeout(WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync(
                        (ignored, error) -> {
                            if (error == null) {
                                onSuccess.run();
                            } else {
                                failure(exchange, error);
                            }
                        },
                        executor);
    }

    private void failure(HttpExchange exchange, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RaftNode.NotLeaderException notLeader) {
            if (notLeader.leader() == null) {
                respond(exchange, 503, TEXT, "no leader");
            } else {
                URI uri = exchange.getRequestURI();
                String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                exchange.getResponseHeaders().set("Location", "http://" + notLeader.leader() + target);
                respond(exchange, 307, TEXT, new byte[0]);
            }
        } else if (cause instanceof RaftNode.OutcomeUnknownException) {
            // 500 "outcome unknown", not 503 "no leader": the write may commit yet, and the client should know it.
            respond(exchange, 500, TEXT, "outcome unknown: " + cause.getMessage());
        } else if (cause instanceof TimeoutException) {
            respond(exchange, 500, TEXT, "outcome unknown: timed out waiting for the cluster");
        } else {
            Log.info("http: %s %s failed: %s", exchange.getRequestMethod(), exchange.getRequestURI(), cause);
            respond(exchange, 500, TEXT, "internal error: " + cause.getMessage());
        }
    }

    // ---------------------------------------------------------------- observers and peers

    // ---------------------------------------------------------------- responses

    private void methodNotAllowed(HttpExchange exchange) {
        respond(exchange, 405, TEXT, "method not allowed");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) {
        HttpReplies.send(exchange, status, contentType, body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) {
        HttpReplies.send(exchange, status, contentType, body);
    }
}
