package io.clstr.junit.internal.check;

import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.internal.Text;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The HTTP client shared by a cluster's checks (HTTP/1.1, thread-safe, pooled connections).
 *
 * <p>Never throws for what a node does: a timeout, a refused or dropped connection or a
 * redirect it may not follow comes back as a {@link Response} with status -1 and an
 * {@link Response#error() error}. See the package documentation for the rules on paths,
 * timeouts, redirects and the one retry on a stale connection.
 */
public final class Http implements AutoCloseable {

    /** How an error starts when the server did not accept the connection in time (the request was never sent). */
    public static final String CONNECT_TIMEOUT = "connection not accepted";

    /** What a connection not accepted in time usually means: said under a failure that had one. */
    public static final String ACCEPT_QUEUE =
            "A connection not accepted in time usually means the server's accept queue "
                    + "is full: accept connections as fast as they come, or raise the listen backlog (Python's socketserver "
                    + "keeps 5 waiting connections unless request_queue_size is raised).";

    /** How an error starts when the request was sent and no answer came in time. */
    public static final String NO_ANSWER = "no answer";

    /** Redirects followed at most, per request. */
    public static final int MAX_REDIRECTS = 5;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Supplier<? extends Collection<? extends Node>> nodes;
    private final Duration defaultTimeout;
    private final ExecutorService executor;
    /** One client per request timeout: each gives the connect phase its share of that timeout. */
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    /**
     * Answers sent on this thread are counted here while it is set ({@link #countAnswersInto}):
     * how {@code concurrently} tells what its operations got.
     */
    private static final ThreadLocal<AnswerTally> TALLY = new ThreadLocal<>();

    private volatile boolean closed;

    /** A client whose redirects resolve against {@code nodes}, with a 1 s default timeout. */
    public Http(Supplier<? extends Collection<? extends Node>> nodes) {
        this(nodes, DEFAULT_TIMEOUT);
    }

    /** A client whose redirects resolve against {@code nodes}; {@code defaultTimeout} serves requests that set none. */
    public Http(Supplier<? extends Collection<? extends Node>> nodes, Duration defaultTimeout) {
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "clstr-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The connect phase's share of a request's timeout: four fifths. A connection the server does
     * not accept in that time (its accept queue is full) is reported as such, apart from a request
     * that was sent and got no answer, and certainly not sent.
     */
    static Duration connectTimeout(Duration timeout) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeout.toNanos() / 5 * 4));
    }

    private HttpClient client(Duration timeout) {
        return clients.computeIfAbsent(timeout, t -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout(t))
                .executor(executor)
                .build());
    }

    /**
     * Counts every answer that requests sent from the calling thread get into {@code tally} until
     * {@link #stopCounting()}; for {@code concurrently}'s summary.
     */
    static void countAnswersInto(AnswerTally tally) {
        TALLY.set(tally);
    }

    /** Ends {@link #countAnswersInto} on the calling thread. */
    static void stopCounting() {
        TALLY.remove();
    }

    /** Sends the request to the node and waits for the answer (or the error). */
    public Response send(Node node, Request request) {
        CompletableFuture<Response> answer = sendAsync(node, request);
        try {
            return answer.get();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + request + " on " + node.name());
        } catch (ExecutionException e) {
            throw propagate(e.getCause());
        }
    }

    /** Sends the request without waiting; the future completes with the answer or the error, never exceptionally for what a node does. */
    public CompletableFuture<Response> sendAsync(Node node, Request request) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("this Http client is closed");
        }
        Duration timeout = request.timeout() != null ? request.timeout() : defaultTimeout;
        CompletableFuture<Response> answer = new Exchange(node, request, timeout, System.nanoTime())
                .hop(node, request.method(), request.body(), request.path(), List.of(node.name()));
        AnswerTally tally = TALLY.get();
        return tally == null
                ? answer
                : answer.thenApply(response -> {
                    tally.count(response);
                    return response;
                });
    }

    /**
     * Stops the client's threads; later sends throw. (Java 17's HttpClient has no close: its
     * selector thread ends once the client is no longer referenced.)
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }

    /** One request from start to answer: its redirects (when followed) and retries. */
    private final class Exchange {
        private final Node origin;
        private final Request request;
        private final Duration timeout;
        private final long start;

        Exchange(Node origin, Request request, Duration timeout, long start) {
            this.origin = origin;
            this.request = request;
            this.timeout = timeout;
            this.start = start;
        }

        CompletableFuture<Response> hop(Node target, String method, String body, String path, List<String> trail) {
            if (target.uri() == null) {
                return done(Response.unsent(
                        origin,
                        target,
                        request,
                        null,
                        elapsed(),
                        "no URI to reach " + target.name() + " ("
                                + target.state().name().toLowerCase(Locale.ROOT) + ")"));
            }
            URI uri = URI.create(base(target) + path);
            return attempt(uri, method, body)
                    .thenCompose(first -> first.staleConnection() && retriedHere(method)
                            ? attempt(uri, method, body).thenApply(Outcome::afterStaleAttempt)
                            : CompletableFuture.completedFuture(first))
                    .thenCompose(outcome -> {
                        if (outcome.error() != null) {
                            return done(
                                    outcome.unsent()
                                            ? unsent(target, uri, outcome.error())
                                            : failed(target, uri, outcome.error()));
                        }
                        HttpResponse<byte[]> r = outcome.response();
                        String location = r.headers().firstValue("Location").orElse(null);
                        if (request.followRedirects() && REDIRECTS.contains(r.statusCode()) && location != null) {
                            return redirect(target, uri, r.statusCode(), location, method, body, trail);
                        }
                        String text = new String(r.body(), StandardCharsets.UTF_8);
                        return done(Response.answered(
                                origin,
                                target,
                                request,
                                uri,
                                r.statusCode(),
                                r.headers().map(),
                                text,
                                elapsed()));
                    });
        }

        private CompletableFuture<Response> redirect(
                Node from, URI fromUri, int status, String location, String method, String body, List<String> trail) {
            if (trail.size() > MAX_REDIRECTS) {
                return done(unsent(
                        from,
                        fromUri,
                        "more than " + MAX_REDIRECTS + " redirects: " + String.join(" → ", trail) + " → " + location));
            }
            URI given;
            try {
                given = new URI(location);
            } catch (URISyntaxException e) {
                return done(unsent(from, fromUri, status + " to \"" + location + "\", which is not a valid URI"));
            }
            // a Location without host and port (such as "/kv/a") stays on the node that sent it
            Node next = given.getRawAuthority() == null ? from : nodeAt(given);
            URI loc = fromUri.resolve(given);
            if (next == null) {
                return done(unsent(
                        from,
                        fromUri,
                        status + " to " + location + ", which is not the ADDR of any node (" + addresses() + ")"));
            }
            String path = (loc.getRawPath() == null || loc.getRawPath().isEmpty() ? "/" : loc.getRawPath())
                    + (loc.getRawQuery() == null ? "" : "?" + loc.getRawQuery());
            List<String> longer = new ArrayList<>(trail);
            longer.add(next.name());
            return status == 303 ? hop(next, "GET", null, path, longer) : hop(next, method, body, path, longer);
        }

        private CompletableFuture<Outcome> attempt(URI uri, String method, String body) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .method(
                            method,
                            body == null
                                    ? BodyPublishers.noBody()
                                    : BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .header("User-Agent", "clstr");
            request.headers().forEach(builder::header);
            if (body != null && request.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                builder.header("Content-Type", "text/plain; charset=utf-8");
            }
            CompletableFuture<HttpResponse<byte[]>> sent =
                    client(timeout).sendAsync(builder.build(), BodyHandlers.ofByteArray());
            // HttpRequest.timeout covers the exchange up to the response headers; this also bounds the body.
            AtomicBoolean timedOut = new AtomicBoolean();
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> {
                        if (!sent.isDone()) {
                            timedOut.set(true);
                            sent.cancel(true);
                        }
                    });
            return sent.handle((r, e) -> e == null ? new Outcome(r, null, false, false) : classify(e, timedOut.get()));
        }

        private Outcome classify(Throwable thrown, boolean timedOut) {
            Throwable e =
                    thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
            if (e instanceof HttpConnectTimeoutException) {
                return new Outcome(
                        null, CONNECT_TIMEOUT + " within " + Text.millis(connectTimeout(timeout)), false, true);
            }
            if (timedOut || e instanceof HttpTimeoutException) {
                return new Outcome(null, NO_ANSWER + " within " + Text.millis(timeout), false, false);
            }
            if (e instanceof CancellationException) {
                return new Outcome(null, "cancelled", false, false);
            }
            ConnectException refused = causeOf(e, ConnectException.class);
            if (refused != null) {
                String why = deepestMessage(refused);
                return new Outcome(
                        null,
                        why == null || why.toLowerCase(Locale.ROOT).contains("refused")
                                ? "connection refused"
                                : "cannot connect: " + why,
                        false,
                        true);
            }
            if (e instanceof IOException) {
                String why = deepestMessage(e);
                return new Outcome(
                        null,
                        "connection closed without a response" + (why == null ? "" : " (" + why + ")"),
                        true,
                        false);
            }
            throw propagate(e);
        }

        private Response failed(Node target, URI uri, String error) {
            return Response.failed(origin, target, request, uri, elapsed(), error);
        }

        private Response unsent(Node target, URI uri, String error) {
            return Response.unsent(origin, target, request, uri, elapsed(), error);
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    /** A response, or why there is none; {@code staleConnection} marks a connection that closed before any answer. */
    private record Outcome(HttpResponse<byte[]> response, String error, boolean staleConnection, boolean unsent) {

        /** This outcome of a retry: the stale first attempt may have reached the server, so nothing is certainly unsent. */
        Outcome afterStaleAttempt() {
            return new Outcome(response, error, staleConnection, false);
        }
    }

    private Node nodeAt(URI location) {
        String authority = location.getRawAuthority();
        if (authority == null) {
            return null;
        }
        String hostPort = authority.substring(authority.indexOf('@') + 1);
        if (hostPort.lastIndexOf(':') < 0 || hostPort.endsWith("]")) {
            hostPort = hostPort + ":80";
        }
        for (Node n : nodes.get()) {
            if (n.addr().equalsIgnoreCase(hostPort)) {
                return n;
            }
        }
        return null;
    }

    private String addresses() {
        return nodes.get().stream().map(n -> n.name() + " " + n.addr()).collect(Collectors.joining(", "));
    }

    /**
     * Whether a request that met a closed connection is sent again here: idempotent methods
     * only, and not GET or HEAD, which java.net.http already retries once by itself.
     */
    private static boolean retriedHere(String method) {
        return Request.idempotent(method) && !method.equals("GET") && !method.equals("HEAD");
    }

    private static String base(Node node) {
        String uri = node.uri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String deepestMessage(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message;
    }

    private static RuntimeException propagate(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }
}
