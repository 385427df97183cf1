package io.clstr.reference.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.Config;
import io.clstr.reference.raft.HttpReplies;
import io.clstr.reference.raft.Log;
import io.clstr.reference.raft.RaftEndpoints;
import io.clstr.reference.raft.RaftNode;
import io.clstr.reference.raft.Replica;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The queue's HTTP API (spec/queue.md): {@code /queues/{q}/messages}, {@code /queues/{q}/receive},
 * {@code /queues/{q}/messages/{receipt}}, {@code .../visibility}, {@code /queues/{q}},
 * {@code /clear} and {@code /health}, plus the Raft endpoints. Values and errors are text/plain,
 * structures are JSON with kebab-case keys. A follower answers the queue's paths with 307 to the
 * leader it knows, or 503 when it knows none.
 */
final class HttpApi {

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9:_.-]+");
    /** A Dedup-Id or Group-Id. */
    private static final Pattern HEADER_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private static final long DEFAULT_VISIBILITY_SECONDS = 5;
    private static final long MAX_VISIBILITY_SECONDS = 300;
    private static final Set<String> CONFIG_KEYS = Set.of("max-receives", "dead-letter-queue", "visibility-timeout");
    /** A request waiting on the cluster longer than this gets 500 (outcome unknown); clients time out well before. */
    private static final long ANSWER_SECONDS = 5;
    /** How long the {@code delete-not-synced} bug keeps deletes out of the log. */
    private static final long DEFERRED_MILLIS = 2000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String addr;
    private final RaftNode node;
    private final RaftEndpoints raft;
    private final QueueMachine machine;
    private final BugSwitch<Bug> bugs;
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
    private final List<Command> deferred = new ArrayList<>();

    /** The {@code dedup-on-leader-only} bug's table: the first send of a key, and its answer. */
    private record Remembered(long since, CompletableFuture<Outcome> answer) {}

    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    /** The {@code offset-before-commit} bug's count of offsets given, per stream. */
    private final Map<String, Long> nextOffsets = new HashMap<>();

    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deferred-deletes");
        t.setDaemon(true);
        return t;
    });

    HttpApi(Config config, Replica replica, QueueMachine machine, BugSwitch<Bug> bugs) throws IOException {
        this.addr = config.addr();
        this.node = replica.node();
        this.raft = replica.endpoints();
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
        this.server = HttpServer.create(new InetSocketAddress(config.port()), 512);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    /** Stops answering; deletes the {@code delete-not-synced} bug held back reach the log first. */
    void stop() {
        server.stop(0);
        flusher.shutdownNow();
        flushDeferred();
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getRawPath();
            if (RaftEndpoints.serves(path)) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                raft.handle(exchange, exchange.getRequestMethod(), path, body, executor);
                return;
            }
            respond(exchange, route(exchange));
        } catch (IOException e) {
            respond(exchange, Outcome.error(400, e.getMessage()));
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
        boolean clear = path.equals("/clear");
        boolean stream = parts.length >= 3 && parts[1].equals("streams");
        if (!clear && !stream && (parts.length < 3 || !parts[1].equals("queues"))) {
            return Outcome.error(404, "not found");
        }
        RaftNode.Routing routing = node.routing();
        if (!routing.leader()) {
            return notLeader(routing.leaderId(), exchange.getRequestURI());
        }
        if (clear) {
            return method.equals("DELETE") ? commit(Command.clear()) : notAllowed();
        }
        if (stream) {
            return streams(exchange, method, parts);
        }
        String queue = decode(parts[2]);
        if (parts.length == 3) {
            return method.equals("GET") ? checked(queue, () -> counts(queue)) : notAllowed();
        }
        if (parts.length == 4 && parts[3].equals("messages")) {
            return method.equals("POST")
                    ? checked(
                            queue,
                            () -> send(
                                    queue,
                                    body(exchange),
                                    exchange.getRequestHeaders().getFirst("Dedup-Id"),
                                    exchange.getRequestHeaders().getFirst("Group-Id")))
                    : notAllowed();
        }
        if (parts.length == 4 && parts[3].equals("config")) {
            return switch (method) {
                case "PUT" -> checked(queue, () -> configure(queue, body(exchange)));
                case "GET" -> checked(queue, () -> config(queue));
                default -> notAllowed();
            };
        }
        if (parts.length == 4 && parts[3].equals("receive")) {
            return method.equals("POST") ? checked(queue, () -> receive(queue, query(exchange))) : notAllowed();
        }
        if (parts.length == 5 && parts[3].equals("messages")) {
            String receipt = decode(parts[4]);
            return method.equals("DELETE") ? checked(queue, () -> delete(queue, receipt)) : notAllowed();
        }
        if (parts.length == 6 && parts[3].equals("messages") && parts[5].equals("visibility")) {
            String receipt = decode(parts[4]);
            return method.equals("PUT")
                    ? checked(queue, () -> changeVisibility(queue, receipt, body(exchange)))
                    : notAllowed();
        }
        return Outcome.error(404, "not found");
    }

    /** {@code /streams/{key}} (POST append, GET poll) and {@code /streams/{key}/groups/{g}} (PUT, GET). */
    private Outcome streams(HttpExchange exchange, String method, String[] parts) {
        String key = decode(parts[2]);
        if (!QUEUE_NAME.matcher(key).matches()) {
            return Outcome.error(400, "invalid stream key");
        }
        if (parts.length == 3) {
            return switch (method) {
                case "POST" -> append(key, body(exchange));
                case "GET" -> poll(key, query(exchange));
                default -> notAllowed();
            };
        }
        if (parts.length == 5 && parts[3].equals("groups")) {
            String group = decode(parts[4]);
            if (!QUEUE_NAME.matcher(group).matches()) {
                return Outcome.error(400, "invalid group");
            }
            return switch (method) {
                case "PUT" -> commitOffset(key, group, body(exchange));
                case "GET" -> committedOffset(key, group);
                default -> notAllowed();
            };
        }
        return Outcome.error(404, "not found");
    }

    private Outcome append(String key, String message) {
        if (message.isEmpty()) {
            return Outcome.error(400, "message cannot be empty");
        }
        if (bugs.on(Bug.OFFSET_BEFORE_COMMIT)) {
            // BUG offset-before-commit: the leader's own count gives the offset; the entry is not awaited.
            long offset;
            synchronized (nextOffsets) {
                offset = nextOffsets.computeIfAbsent(key, machine::streamLength);
                nextOffsets.put(key, offset + 1);
            }
            node.propose(Command.append(key, message).encode());
            return Outcome.ok(new QueueMachine.Appended(offset));
        }
        return commit(Command.append(key, message));
    }

    /** {@code GET /streams/{key}?offset=N&max=M} (max 1–100, default 100), a linearizable read. */
    private Outcome poll(String key, Map<String, String> query) {
        Long offset = number(query.getOrDefault("offset", "0"));
        if (offset == null || offset < 0) {
            return Outcome.error(400, "invalid offset");
        }
        Long max = number(query.getOrDefault("max", "100"));
        if (max == null || max < 1 || max > 100) {
            return Outcome.error(400, "invalid max");
        }
        Outcome failed = await(node.readBarrier());
        return failed != null ? failed : Outcome.ok(machine.poll(key, offset, max.intValue()));
    }

    private Outcome commitOffset(String key, String group, String body) {
        Long offset = number(unquoted(body));
        if (offset == null || offset < 0) {
            return Outcome.error(400, "invalid offset");
        }
        return commit(Command.commit(key, group, offset));
    }

    private Outcome committedOffset(String key, String group) {
        Outcome failed = await(node.readBarrier());
        if (failed != null) {
            return failed;
        }
        Long offset = machine.committed(key, group);
        return offset == null ? Outcome.error(404, "no committed offset") : Outcome.ok(Long.toString(offset));
    }

    /** {@code "10"} or {@code 10}, trimmed. */
    private static String unquoted(String body) {
        String text = body.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        return text;
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

    /** {@code dedupId} and {@code group} are the Dedup-Id and Group-Id headers, or null. */
    private Outcome send(String queue, String body, String dedupId, String group) {
        if (dedupId != null && !HEADER_ID.matcher(dedupId).matches()) {
            return Outcome.error(400, "invalid dedup id");
        }
        if (group != null && !HEADER_ID.matcher(group).matches()) {
            return Outcome.error(400, "invalid group id");
        }
        if (body.isEmpty()) {
            return Outcome.error(400, "message cannot be empty");
        }
        long id = bugs.on(Bug.UNSAFE_IDS) ? machine.peekNextId(queue) : 0;
        Command send = Command.send(queue, body, id).inGroup(group).withDedupId(dedupId);
        if (dedupId != null && bugs.on(Bug.DEDUP_ON_LEADER_ONLY)) {
            return sendRemembered(queue + "/" + dedupId, send.withDedupId(null));
        }
        if (dedupId != null && bugs.on(Bug.DEDUP_CHECK_AT_REQUEST)) {
            // BUG dedup-check-at-request: looked up now, before this send is logged.
            Long first = machine.dedupLookup(queue, dedupId, System.currentTimeMillis());
            if (first != null) {
                return Outcome.ok(new QueueMachine.Sent(first));
            }
        }
        return commit(send);
    }

    /**
     * BUG dedup-on-leader-only: the dedup table is this node's memory. The first send of a key
     * is logged without its Dedup-Id; repeats within the window share its answer.
     */
    private Outcome sendRemembered(String key, Command send) {
        long now = System.currentTimeMillis();
        remembered.values().removeIf(r -> now - r.since() >= QueueMachine.DEDUP_WINDOW_MILLIS);
        Remembered mine = new Remembered(now, new CompletableFuture<>());
        Remembered first = remembered.putIfAbsent(key, mine);
        if (first != null) {
            return first.answer().join();
        }
        Outcome outcome = commit(send);
        mine.answer().complete(outcome);
        if (outcome.status() != 200) {
            remembered.remove(key, mine);
        }
        return outcome;
    }

    private Outcome receive(String queue, Map<String, String> query) {
        Long max = number(query.getOrDefault("max", "1"));
        if (max == null || max < 1 || max > 10) {
            return Outcome.error(400, "invalid max");
        }
        long visibility = Command.QUEUE_DEFAULT;
        if (query.containsKey("visibility")) {
            Long seconds = number(query.get("visibility"));
            if (seconds == null || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
                return Outcome.error(400, "invalid visibility timeout");
            }
            visibility = TimeUnit.SECONDS.toMillis(seconds);
        }
        if (bugs.on(Bug.FIXED_VISIBILITY)) {
            visibility = TimeUnit.SECONDS.toMillis(DEFAULT_VISIBILITY_SECONDS);
        }
        String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Command receive = Command.receive(queue, max.intValue(), visibility, nonce);
        boolean marked = bugs.on(Bug.DEADLINE_ON_LEADER_ONLY) || bugs.on(Bug.GROUP_LOCK_ON_LEADER_ONLY);
        return commit(marked ? receive.servedBy(addr) : receive);
    }

    /**
     * {@code PUT /queues/{q}/config}: a JSON object with any of {@code max-receives} (1–1000) and
     * {@code dead-letter-queue} (another queue), which go together, and {@code visibility-timeout}
     * (0–300 s). Anything else is 400 {@code invalid config}.
     */
    private Outcome configure(String queue, String body) {
        Outcome invalid = Outcome.error(400, "invalid config");
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            return invalid;
        }
        if (root == null || !root.isObject()) {
            return invalid;
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            if (!CONFIG_KEYS.contains(names.next())) {
                return invalid;
            }
        }
        JsonNode max = root.path("max-receives");
        JsonNode dlq = root.path("dead-letter-queue");
        JsonNode visibility = root.path("visibility-timeout");
        boolean limited = !max.isMissingNode() && !max.isNull();
        boolean withQueue = !dlq.isMissingNode() && !dlq.isNull();
        if (limited != withQueue
                || (limited && (!max.isIntegralNumber() || max.longValue() < 1 || max.longValue() > 1000))
                || (withQueue
                        && (!dlq.isTextual()
                                || !QUEUE_NAME.matcher(dlq.textValue()).matches()
                                || dlq.textValue().equals(queue)))
                || (!visibility.isMissingNode()
                        && (!visibility.isIntegralNumber()
                                || visibility.longValue() < 0
                                || visibility.longValue() > MAX_VISIBILITY_SECONDS))) {
            return invalid;
        }
        Command config = Command.config(
                queue,
                limited ? max.intValue() : 0,
                withQueue ? dlq.textValue() : null,
                TimeUnit.SECONDS.toMillis(
                        visibility.isMissingNode() ? DEFAULT_VISIBILITY_SECONDS : visibility.longValue()));
        if (bugs.on(Bug.CONFIG_ON_LEADER_ONLY)) {
            // BUG config-on-leader-only: "config is metadata": set on this node, never logged.
            return machine.apply(config.stamped(System.currentTimeMillis()));
        }
        return commit(config);
    }

    /** {@code GET /queues/{q}/config}, a linearizable read. */
    private Outcome config(String queue) {
        Outcome failed = await(node.readBarrier());
        return failed != null ? failed : Outcome.ok(machine.config(queue));
    }

    private Outcome delete(String queue, String receipt) {
        Command delete = Command.delete(queue, receipt);
        if (bugs.on(Bug.DELETE_NOT_SYNCED)) {
            // BUG delete-not-synced: applied and answered at once, written to the log two seconds later.
            Outcome outcome = machine.apply(delete.stamped(System.currentTimeMillis()));
            synchronized (deferred) {
                if (deferred.isEmpty()) {
                    flusher.schedule(this::flushDeferred, DEFERRED_MILLIS, TimeUnit.MILLISECONDS);
                }
                deferred.add(delete);
            }
            return outcome;
        }
        return commit(delete);
    }

    private void flushDeferred() {
        List<Command> batch;
        synchronized (deferred) {
            batch = new ArrayList<>(deferred);
            deferred.clear();
        }
        for (Command delete : batch) {
            commit(delete);
        }
    }

    /** A linearizable read: served once this node has confirmed it still leads. */
    private Outcome counts(String queue) {
        Outcome failed = await(node.readBarrier());
        return failed != null ? failed : Outcome.ok(machine.counts(queue));
    }

    private Outcome changeVisibility(String queue, String receipt, String body) {
        Long seconds = number(unquoted(body));
        if (seconds == null || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
            return Outcome.error(400, "invalid visibility timeout");
        }
        return commit(Command.visibility(queue, receipt, TimeUnit.SECONDS.toMillis(seconds)));
    }

    /** Proposes {@code command} to the Raft log and waits until it is committed and applied. */
    private Outcome commit(Command command) {
        CompletableFuture<Object> applied = node.propose(command.encode());
        Outcome failed = await(applied);
        return failed != null ? failed : (Outcome) applied.join();
    }

    /** Waits for {@code future}; null when it succeeded, else the answer its failure calls for. */
    private Outcome await(CompletableFuture<?> future) {
        try {
            future.get(ANSWER_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.error(500, "outcome unknown: the node is stopping");
        } catch (TimeoutException e) {
            return Outcome.error(500, "outcome unknown: timed out waiting for the cluster");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RaftNode.NotLeaderException notLeader) {
                return notLeader.leader() == null
                        ? Outcome.error(503, "no leader")
                        : Outcome.error(503, "leadership moved to " + notLeader.leader() + "; retry there");
            }
            return Outcome.error(500, "outcome unknown: " + cause.getMessage());
        }
    }

    /** Followers redirect to the leader they know; a node that knows none answers 503. */
    private static Outcome notLeader(String leader, URI uri) {
        if (leader == null) {
            return Outcome.error(503, "no leader");
        }
        return Outcome.redirect(leader, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
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
        if (outcome.location() != null) {
            exchange.getResponseHeaders().set("Location", outcome.location());
        }
        if (outcome.body() instanceof String text) {
            HttpReplies.send(exchange, outcome.status(), HttpReplies.TEXT, text);
            return;
        }
        try {
            HttpReplies.send(exchange, outcome.status(), HttpReplies.JSON, json.writeValueAsBytes(outcome.body()));
        } catch (JsonProcessingException e) {
            Log.info("cannot write %s: %s", outcome.body(), e);
            HttpReplies.send(exchange, 500, HttpReplies.TEXT, "internal error");
        }
    }
}
