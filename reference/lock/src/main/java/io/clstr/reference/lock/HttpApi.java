package io.clstr.reference.lock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.Headers;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lock service's HTTP API (spec/lock.md on kv-store's): {@code /kv/{key}} with TTLs, leases,
 * revisions, CAS and fencing, {@code /clear}, {@code /leases}, {@code /locks/{name}},
 * {@code /watch/{key}} and {@code /health}, plus the Raft endpoints. Values and errors are
 * text/plain, structures are JSON with kebab-case keys. A follower answers the service's paths with
 * 307 to the leader it knows, or 503 when it knows none. Every answer about a lease, a lock or a key
 * is given after the leader confirmed it still leads: writes through the log, reads after a
 * ReadIndex barrier.
 */
final class HttpApi {

    private static final Set<String> KV_METHODS = Set.of("GET", "PUT", "DELETE");
    private static final long MAX_TTL_SECONDS = 3600;
    /** Lease TTLs below this are raised to it. */
    private static final long MIN_LEASE_TTL_SECONDS = 2;
    /** The longest wait of a blocking acquire or a watch. */
    private static final long MAX_WAIT_MILLIS = 3000;
    /** A request waiting on the cluster longer than this gets 500 (outcome unknown); clients time out well before. */
    private static final long ANSWER_SECONDS = 5;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String addr;
    private final RaftNode node;
    private final RaftEndpoints raft;
    private final LockMachine machine;
    private final BugSwitch<Bug> bugs;
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);

    /** The {@code expiry-in-leader-memory} bug's deadlines: key → when this node deletes it. */
    private final Map<String, Long> leaderDeadlines = new ConcurrentHashMap<>();

    HttpApi(Config config, Replica replica, LockMachine machine, BugSwitch<Bug> bugs) throws IOException {
        this.addr = config.addr();
        this.node = replica.node();
        this.raft = replica.endpoints();
        this.machine = machine;
        this.bugs = bugs;
        // Long polls and blocking acquires hold a thread for up to 3 s each.
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(64, 64, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
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

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Proposes {@code command} as this node's (every entry names the node that proposed it). */
    CompletableFuture<Object> propose(Command command) {
        return node.propose(command.servedBy(addr).encode());
    }

    /** BUG expiry-in-leader-memory: deletes, through the log, the keys this node remembers as due. */
    void expireRemembered(long now) {
        leaderDeadlines.forEach((key, deadline) -> {
            if (deadline <= now && leaderDeadlines.remove(key, deadline)) {
                propose(Command.delete(key));
            }
        });
    }

    private interface Action {
        Outcome run() throws InterruptedException;
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
        } catch (IOException | IllegalArgumentException e) {
            respond(exchange, Outcome.error(400, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, Outcome.error(500, "outcome unknown: the node is stopping"));
        } catch (RuntimeException e) {
            Log.info("%s %s failed: %s", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, Outcome.error(500, "internal error"));
        }
    }

    private Outcome route(HttpExchange exchange) throws InterruptedException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/health")) {
            return method.equals("GET") ? Outcome.ok("ok") : notAllowed();
        }
        if (path.equals("/clear")) {
            return method.equals("DELETE") ? led(exchange, this::clear) : notAllowed();
        }
        if (path.equals("/kv") || path.startsWith("/kv/")) {
            String key = decode(path.length() > 4 ? path.substring(4) : "");
            return KV_METHODS.contains(method) ? led(exchange, () -> kv(exchange, method, key)) : notAllowed();
        }
        if (path.equals("/leases")) {
            return method.equals("POST") ? led(exchange, () -> grant(body(exchange))) : notAllowed();
        }
        if (path.startsWith("/leases/")) {
            String[] rest = path.substring("/leases/".length()).split("/", -1);
            String id = decode(rest[0]);
            if (rest.length == 2 && rest[1].equals("keepalive")) {
                return method.equals("POST") ? led(exchange, () -> keepalive(id)) : notAllowed();
            }
            if (rest.length > 1) {
                return Outcome.error(404, "not found");
            }
            return switch (method) {
                case "GET" -> led(exchange, () -> lease(id));
                case "DELETE" -> led(exchange, () -> commit(Command.revoke(id)));
                default -> notAllowed();
            };
        }
        if (path.startsWith("/locks/")) {
            String name = decode(path.substring("/locks/".length()));
            Map<String, String> query = query(exchange);
            return switch (method) {
                case "POST" -> led(exchange, () -> acquire(name, query));
                case "GET" -> led(exchange, () -> lock(name));
                case "DELETE" -> led(exchange, () -> release(name, query));
                default -> notAllowed();
            };
        }
        if (path.startsWith("/watch/")) {
            String key = decode(path.substring("/watch/".length()));
            return method.equals("GET") ? led(exchange, () -> watch(key, query(exchange))) : notAllowed();
        }
        return Outcome.error(404, "not found");
    }

    /** Runs {@code action} on the leader; a follower redirects to the leader it knows, or answers 503. */
    private Outcome led(HttpExchange exchange, Action action) throws InterruptedException {
        RaftNode.Routing routing = node.routing();
        if (!routing.leader()) {
            if (routing.leaderId() == null) {
                return Outcome.error(503, "no leader");
            }
            URI uri = exchange.getRequestURI();
            return Outcome.redirect(
                    routing.leaderId(), uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        return action.run();
    }

    // ---------------------------------------------------------------- keys

    private Outcome kv(HttpExchange exchange, String method, String key) {
        if (key.isEmpty()) {
            return Outcome.error(400, "key cannot be empty");
        }
        Headers headers = exchange.getRequestHeaders();
        return switch (method) {
            case "GET" -> get(key);
            case "PUT" -> put(key, body(exchange), query(exchange), headers);
            default -> {
                Outcome deleted = write(conditions(Command.delete(key), headers));
                if (deleted.status() == 200) {
                    leaderDeadlines.remove(key); // the expiry-in-leader-memory bug's map (else empty)
                }
                yield deleted;
            }
        };
    }

    /** A linearizable read; a key whose TTL ran out but that no entry expired yet is expired through the log first. */
    private Outcome get(String key) {
        Outcome failed = await(node.readBarrier());
        if (failed != null) {
            return failed;
        }
        LockMachine.Value value = machine.get(key);
        // BUG follower-expiry-timers: the node's own timer deletes due keys; no expiry entry is proposed.
        boolean due = value != null && value.deadline() > 0 && value.deadline() <= System.currentTimeMillis();
        if (due && !bugs.on(Bug.FOLLOWER_EXPIRY_TIMERS)) {
            failed = await(propose(Command.expire()));
            if (failed != null) {
                return failed;
            }
            value = machine.get(key);
        }
        return value == null
                ? Outcome.error(404, "key not found")
                : new Outcome(200, value.value(), null, value.revision());
    }

    /** {@code PUT /kv/{key}?ttl=N} (whole seconds 1–3600) or {@code ?lease=ID}. */
    private Outcome put(String key, String value, Map<String, String> query, Headers headers) {
        if (value.isEmpty()) {
            return Outcome.error(400, "value cannot be empty");
        }
        long ttl = 0;
        if (query.containsKey("ttl")) {
            Long seconds = number(query.get("ttl"));
            if (seconds == null || seconds < 1 || seconds > MAX_TTL_SECONDS) {
                return Outcome.error(400, "invalid ttl");
            }
            ttl = seconds;
        }
        String lease = query.get("lease");
        if (ttl > 0 && lease != null) {
            return Outcome.error(400, "cannot use ttl with lease");
        }
        // BUG expiry-in-leader-memory: the PUT is logged without its TTL; this node remembers the deadline.
        boolean remembered = bugs.on(Bug.EXPIRY_IN_LEADER_MEMORY);
        Outcome written = write(conditions(Command.put(key, value, remembered ? 0 : ttl, lease), headers));
        if (remembered && written.status() == 200) {
            if (ttl > 0) {
                leaderDeadlines.put(key, System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(ttl));
            } else {
                leaderDeadlines.remove(key);
            }
        }
        return written;
    }

    /** {@code write} with its If-Match, If-None-Match, Lock-Name and Fencing-Token headers. */
    private static Command conditions(Command write, Headers headers) {
        Long revision = null;
        String ifMatch = headers.getFirst("If-Match");
        if (ifMatch != null) {
            revision = number(ifMatch.strip().replace("\"", ""));
            if (revision == null) {
                throw new IllegalArgumentException("invalid revision");
            }
        }
        String ifNoneMatch = headers.getFirst("If-None-Match");
        boolean absent = ifNoneMatch != null && ifNoneMatch.strip().equals("*");
        String lockName = headers.getFirst("Lock-Name");
        String tokenText = headers.getFirst("Fencing-Token");
        Long token = tokenText == null ? null : number(tokenText.strip());
        if ((lockName == null) != (tokenText == null) || (tokenText != null && token == null)) {
            throw new IllegalArgumentException("invalid fencing token");
        }
        return write.conditional(revision, absent).fenced(lockName, token == null ? 0 : token);
    }

    /** Logs a PUT or DELETE; its conditions are checked when it applies. */
    private Outcome write(Command write) {
        boolean casNow = bugs.on(Bug.CAS_AT_REQUEST_TIME) && (write.ifMatch() != null || write.ifNoneMatch());
        boolean fenceNow = bugs.on(Bug.TOKEN_CHECKED_AT_REQUEST_TIME) && write.lockName() != null;
        if (casNow || fenceNow) {
            // BUG cas-at-request-time, token-checked-at-request-time: checked now, against the applied
            // state, and logged without the condition.
            Outcome refused = machine.refusal(write);
            if (refused != null) {
                return refused;
            }
            write = casNow ? write.conditional(null, false) : write.fenced(null, 0);
        }
        return commit(write);
    }

    private Outcome clear() {
        Outcome cleared = commit(Command.clear());
        if (cleared.status() == 200) {
            leaderDeadlines.clear();
        }
        return cleared;
    }

    // ---------------------------------------------------------------- leases

    /** {@code POST /leases} with the TTL in seconds ({@code "5"} or {@code 5}); below 2 is raised to 2. */
    private Outcome grant(String body) {
        Long ttl = number(unquoted(body));
        if (ttl == null || ttl < 1 || ttl > MAX_TTL_SECONDS) {
            return Outcome.error(400, "invalid ttl");
        }
        return commit(Command.grant(Math.max(MIN_LEASE_TTL_SECONDS, ttl)));
    }

    private Outcome keepalive(String id) {
        if (bugs.on(Bug.KEEPALIVE_WITHOUT_LEADERSHIP_CHECK)) {
            // BUG keepalive-without-leadership-check: answered from this node's table; the extension is not awaited.
            LockMachine.LeaseStatus lease = machine.lease(id, 0);
            if (lease == null) {
                return Outcome.error(404, "lease not found");
            }
            propose(Command.keepalive(id));
            return Outcome.ok(new LockMachine.LeaseTtl(id, lease.ttl()));
        }
        return commit(Command.keepalive(id));
    }

    private Outcome lease(String id) {
        Outcome failed = await(node.readBarrier());
        if (failed != null) {
            return failed;
        }
        LockMachine.LeaseStatus lease = machine.lease(id, System.currentTimeMillis());
        return lease == null ? Outcome.error(404, "lease not found") : Outcome.ok(lease);
    }

    // ---------------------------------------------------------------- locks

    /**
     * {@code POST /locks/{name}?lease=ID}; with {@code &wait=S} (0–3 s) the lease joins the lock's
     * queue when another holds it and the answer waits up to S for the handoff. A waiter whose wait
     * runs out keeps its place.
     */
    private Outcome acquire(String name, Map<String, String> query) throws InterruptedException {
        String lease = query.get("lease");
        Outcome invalid = invalidLock(name, lease);
        if (invalid != null) {
            return invalid;
        }
        Long wait = null;
        if (query.containsKey("wait")) {
            wait = waitMillis(query.get("wait"));
            if (wait == null) {
                return Outcome.error(400, "invalid wait");
            }
        }
        if (wait != null && bugs.on(Bug.THUNDERING_HERD)) {
            return retryUntil(name, lease, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait));
        }
        Outcome outcome = commit(Command.acquire(name, lease, wait != null));
        if (wait == null || outcome.status() != 409) {
            return outcome;
        }
        LockMachine.Grant grant =
                machine.awaitGrant(name, lease, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait));
        if (grant != null) {
            return Outcome.ok(grant);
        }
        if (bugs.on(Bug.TIMED_OUT_WAITER_DROPPED)) {
            commit(Command.release(name, lease)); // BUG timed-out-waiter-dropped: the waiter leaves the queue.
        }
        return outcome;
    }

    /** BUG thundering-herd: no place in a queue, just a retry every 50–150 ms until the wait runs out. */
    private Outcome retryUntil(String name, String lease, long untilNanos) throws InterruptedException {
        while (true) {
            Outcome outcome = commit(Command.acquire(name, lease, false));
            long left = untilNanos - System.nanoTime();
            if (outcome.status() != 409 || left <= 0) {
                return outcome;
            }
            long pause =
                    TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(50, 150));
            TimeUnit.NANOSECONDS.sleep(Math.min(left, pause));
        }
    }

    private Outcome release(String name, Map<String, String> query) {
        String lease = query.get("lease");
        Outcome invalid = invalidLock(name, lease);
        return invalid != null ? invalid : commit(Command.release(name, lease));
    }

    private static Outcome invalidLock(String name, String lease) {
        if (name.isEmpty()) {
            return Outcome.error(400, "lock name cannot be empty");
        }
        return lease == null || lease.isEmpty() ? Outcome.error(400, "lease cannot be empty") : null;
    }

    private Outcome lock(String name) {
        if (name.isEmpty()) {
            return Outcome.error(400, "lock name cannot be empty");
        }
        Outcome failed = await(node.readBarrier());
        if (failed != null) {
            return failed;
        }
        LockMachine.LockStatus lock = machine.lock(name);
        return lock == null ? Outcome.error(404, "lock not found") : Outcome.ok(lock);
    }

    // ---------------------------------------------------------------- watches

    /**
     * {@code GET /watch/{key}?rev=N&wait=S&prefix=true}: the events from revision N (default: the
     * next write's) on, waiting up to S seconds (0–3, default 0) for the first.
     */
    private Outcome watch(String key, Map<String, String> query) throws InterruptedException {
        String prefixText = query.getOrDefault("prefix", "false");
        if (!prefixText.equals("true") && !prefixText.equals("false")) {
            return Outcome.error(400, "invalid prefix");
        }
        boolean prefix = prefixText.equals("true");
        if (key.isEmpty() && !prefix) {
            return Outcome.error(400, "key cannot be empty");
        }
        Long from = query.containsKey("rev") ? number(query.get("rev")) : null;
        if (query.containsKey("rev") && (from == null || from < 0)) {
            return Outcome.error(400, "invalid revision");
        }
        Long wait = waitMillis(query.getOrDefault("wait", "0"));
        if (wait == null) {
            return Outcome.error(400, "invalid wait");
        }
        Outcome failed = await(node.readBarrier());
        if (failed != null) {
            return failed;
        }
        long first = from != null ? from : machine.revision() + 1;
        List<WatchHistory.Event> events =
                machine.watch(key, prefix, first, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait));
        return events == null ? Outcome.error(410, "revision compacted") : Outcome.ok(events);
    }

    // ---------------------------------------------------------------- the log

    /** Proposes {@code command} to the Raft log and waits until it is committed and applied. */
    private Outcome commit(Command command) {
        CompletableFuture<Object> applied = propose(command);
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

    // ---------------------------------------------------------------- requests and answers

    private static Outcome notAllowed() {
        return Outcome.error(405, "method not allowed");
    }

    /** A wait in seconds (0–3, fractions allowed) as milliseconds, or null when it is not one. */
    /** A wait in whole seconds, 0 to 3, as milliseconds; null when it is anything else. */
    private static Long waitMillis(String text) {
        Long seconds = number(text);
        return seconds != null && seconds >= 0 && seconds * 1000 <= MAX_WAIT_MILLIS ? seconds * 1000 : null;
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code "5"} or {@code 5}, trimmed. */
    private static String unquoted(String body) {
        String text = body.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        return text.strip();
    }

    /** A path segment, percent-decoded ({@code +} stays a plus). */
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
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
                    query.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private void respond(HttpExchange exchange, Outcome outcome) {
        if (outcome.location() != null) {
            exchange.getResponseHeaders().set("Location", outcome.location());
        }
        if (outcome.revision() != Outcome.NO_REVISION) {
            exchange.getResponseHeaders().set("Revision", Long.toString(outcome.revision()));
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
