package io.clstr.junit.internal.check;

import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.check.Response.NoAnswer;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.Text;
import io.clstr.junit.internal.Workers;
import io.clstr.junit.internal.timing.Ledger;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.http.Header;
import org.apache.http.HttpClientConnection;
import org.apache.http.HttpEntity;
import org.apache.http.HttpException;
import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.HttpVersion;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.protocol.RequestClientConnControl;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.ConnectionRequest;
import org.apache.http.conn.HttpClientConnectionManager;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.util.PublicSuffixMatcher;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.DefaultConnectionReuseStrategy;
import org.apache.http.impl.client.DefaultConnectionKeepAliveStrategy;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.protocol.HttpCoreContext;
import org.apache.http.protocol.HttpProcessor;
import org.apache.http.protocol.HttpRequestExecutor;
import org.apache.http.protocol.ImmutableHttpProcessor;
import org.apache.http.protocol.RequestContent;
import org.apache.http.protocol.RequestTargetHost;
import org.apache.http.protocol.RequestUserAgent;

/**
 * The HTTP client shared by a cluster's checks (HTTP/1.1, thread-safe, pooled connections).
 *
 * <p>Never throws for what a node does: a timeout, a refused or dropped connection or a
 * redirect it may not follow comes back as a {@link Response} with status -1 and an
 * {@link Response#error() error}. See the package documentation for the rules on paths,
 * timeouts, redirects and the one retry on a stale connection.
 *
 * <p>Each exchange runs on one thread with blocking sockets (Apache HttpClient 4), so its
 * timeouts are the kernel's: an answer that reached the socket in time is in time, however
 * late a loaded machine schedules the thread that reads it.
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

    /** Connections kept at most: more than any check has in flight (50 operations on 5 nodes). */
    private static final int MAX_CONNECTIONS = 1024;

    /** How long a pooled connection may sit idle before it is checked for a close from the node. */
    private static final int VALIDATE_AFTER_IDLE_MS = 200;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /**
     * What the library adds to every request: Content-Length (0 without a body), Host,
     * Connection: Keep-Alive and the User-Agent. Nothing else (no Expect, cookies, authentication
     * or Accept-Encoding).
     */
    private static final HttpProcessor PROTOCOL = new ImmutableHttpProcessor(
            new RequestContent(),
            new RequestTargetHost(),
            new RequestClientConnControl(),
            new RequestUserAgent("clstr"));

    /** Sends a request on a connection and reads the answer's head (1xx answers skipped); thread-safe. */
    private static final HttpRequestExecutor REQUESTS = new HttpRequestExecutor();

    /** Bodies up to this length are read into an array of their announced Content-Length. */
    private static final int SIZED_BODY_MAX = 1 << 20;

    private final Supplier<? extends Collection<? extends Node>> nodes;
    private final Duration defaultTimeout;
    private final ScheduledThreadPoolExecutor deadlines;
    private final PoolingHttpClientConnectionManager pool;

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
        this.deadlines = new ScheduledThreadPoolExecutor(1, daemons("clstr-http-deadline-"));
        // an answered request's deadline leaves the queue at once rather than waking the thread when it expires
        deadlines.setRemoveOnCancelPolicy(true);
        // plain HTTP only (a redirect goes to a node's URI, never to the Location's scheme): no TLS set up per start
        this.pool = plainPool();
        pool.setValidateAfterInactivity(VALIDATE_AFTER_IDLE_MS);
    }

    /**
     * A connection pool for plain HTTP only, {@value #MAX_CONNECTIONS} connections at most: building it sets
     * up no TLS context (the JVM's trust store is never read).
     */
    public static PoolingHttpClientConnectionManager plainPool() {
        PoolingHttpClientConnectionManager pool =
                new PoolingHttpClientConnectionManager(RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .build());
        pool.setMaxTotal(MAX_CONNECTIONS);
        pool.setDefaultMaxPerRoute(MAX_CONNECTIONS);
        return pool;
    }

    /**
     * A client builder over {@code pool} that does what a plain request needs and nothing else (the
     * runtimes' health checks): no retries, redirects, cookies, compression or authentication; user
     * agent {@code clstr}. The checks' own exchanges skip the client and its execution chain.
     */
    public static HttpClientBuilder plainClient(HttpClientConnectionManager pool) {
        return HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .setUserAgent("clstr")
                // without cookies and TLS nothing reads public suffixes: an empty list spares parsing the bundled one
                .setPublicSuffixMatcher(new PublicSuffixMatcher(List.of(), List.of()));
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The connect phase's share of a request's timeout: four fifths. A connection the server does
     * not accept in that time (its accept queue is full) is reported as such, apart from a request
     * that was sent and got no answer, and certainly not sent.
     */
    static Duration connectTimeout(Duration timeout) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeout.toNanos() / 5 * 4));
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

    /** Sends the request to the node and waits for the answer (or the error), on the calling thread. */
    public Response send(Node node, Request request) {
        Response response = exchange(node, request).run();
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + request + " on " + node.name());
        }
        return response;
    }

    /**
     * Sends the request to every node at once and waits for all the answers, in the nodes' order:
     * the last node's on the calling thread (a single node costs no hand-over to another thread),
     * the others' on threads of their own.
     */
    public List<Response> sendAll(List<? extends Node> targets, Request request) {
        if (targets.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Response>> answers = new ArrayList<>(targets.size());
        for (Node node : targets.subList(0, targets.size() - 1)) {
            answers.add(sendAsync(node, request));
        }
        Response last = exchange(targets.get(targets.size() - 1), request).run();
        if (Thread.interrupted()) {
            answers.forEach(a -> a.cancel(true));
            throw Deadline.interrupted("the answers to " + request);
        }
        answers.add(CompletableFuture.completedFuture(last));
        return Answers.join(answers, request);
    }

    /** Sends the request on a thread of its own; the future completes with the answer or the error, never exceptionally for what a node does. */
    public CompletableFuture<Response> sendAsync(Node node, Request request) {
        return CompletableFuture.supplyAsync(exchange(node, request)::run, this::execute);
    }

    /**
     * Runs {@code task} on one of the JVM's client threads ({@link Workers}), which are kept for later
     * tasks: a thread started per task would cost its start and, in a JVM that has not collected
     * garbage yet, a fresh allocation buffer of up to megabytes that it hardly uses before it ends.
     */
    Future<?> submit(Runnable task) {
        requireOpen();
        return Workers.submit(task);
    }

    private void execute(Runnable task) {
        requireOpen();
        Workers.execute(task);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Http client is closed");
        }
    }

    private Exchange exchange(Node node, Request request) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(request, "request");
        requireOpen();
        Duration timeout = request.timeout() != null ? request.timeout() : defaultTimeout;
        return new Exchange(node, request, timeout, System.nanoTime(), TALLY.get());
    }

    /**
     * Closes the client's connections, which ends the requests in flight, and stops its deadline
     * thread; later sends throw. The threads it ran work on are the JVM's ({@link Workers}).
     */
    @Override
    public void close() {
        closed = true;
        deadlines.shutdownNow();
        pool.shutdown();
    }

    /** One request from start to answer: its redirects (when followed) and retries. */
    private final class Exchange {
        private final Node origin;
        private final Request request;
        private final Duration timeout;
        private final long start;
        /** Where the calling thread counts answers ({@link #countAnswersInto}), or null. */
        private final AnswerTally tally;

        Exchange(Node origin, Request request, Duration timeout, long start, AnswerTally tally) {
            this.origin = origin;
            this.request = request;
            this.timeout = timeout;
            this.start = start;
            this.tally = tally;
        }

        Response run() {
            Response response;
            try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.REQUEST)) {
                response = hop(origin, request.method(), request.body(), request.path(), List.of(origin.name()));
            }
            if (tally != null) {
                tally.count(response);
            }
            return response;
        }

        private Response hop(Node target, String method, String body, String path, List<String> trail) {
            if (target.uri() == null) {
                return Response.unsent(
                        origin,
                        target,
                        request,
                        null,
                        elapsed(),
                        NoAnswer.NOT_SENT,
                        "no URI to reach " + target.name() + " ("
                                + target.state().name().toLowerCase(Locale.ROOT) + ")");
            }
            URI uri = URI.create(base(target) + path);
            Outcome outcome = attempt(uri, method, body);
            if (outcome.staleConnection() && Request.idempotent(method)) {
                outcome = attempt(uri, method, body).afterStaleAttempt();
            }
            if (outcome.error() != null) {
                return outcome.unsent()
                        ? Response.unsent(origin, target, request, uri, elapsed(), outcome.noAnswer(), outcome.error())
                        : Response.failed(origin, target, request, uri, elapsed(), outcome.noAnswer(), outcome.error());
            }
            String location = outcome.header("Location");
            if (request.followRedirects() && REDIRECTS.contains(outcome.status()) && location != null) {
                return redirect(target, uri, outcome.status(), location, method, body, trail);
            }
            return Response.answered(
                    origin,
                    target,
                    request,
                    uri,
                    outcome.status(),
                    outcome.headers(),
                    new String(outcome.body(), StandardCharsets.UTF_8),
                    elapsed());
        }

        private Response redirect(
                Node from, URI fromUri, int status, String location, String method, String body, List<String> trail) {
            if (trail.size() > MAX_REDIRECTS) {
                return unsent(
                        from,
                        fromUri,
                        "more than " + MAX_REDIRECTS + " redirects: " + String.join(" → ", trail) + " → " + location);
            }
            URI given;
            try {
                given = new URI(location);
            } catch (URISyntaxException e) {
                return unsent(from, fromUri, status + " to \"" + location + "\", which is not a valid URI");
            }
            // a Location without host and port (such as "/kv/a") stays on the node that sent it
            Node next = given.getRawAuthority() == null ? from : nodeAt(given);
            URI loc = fromUri.resolve(given);
            if (next == null) {
                return unsent(
                        from,
                        fromUri,
                        status + " to " + location + ", which is not the ADDR of any node (" + addresses() + ")");
            }
            String path = (loc.getRawPath() == null || loc.getRawPath().isEmpty() ? "/" : loc.getRawPath())
                    + (loc.getRawQuery() == null ? "" : "?" + loc.getRawQuery());
            List<String> longer = new ArrayList<>(trail);
            longer.add(next.name());
            return status == 303 ? hop(next, "GET", null, path, longer) : hop(next, method, body, path, longer);
        }

        /**
         * One exchange on one connection. The connect phase has four fifths of the timeout, each
         * wait for bytes of the answer the whole timeout (both timed by the kernel); a deadline of
         * twice the timeout ends an answer that keeps trickling in.
         *
         * <p>The exchange runs on HttpCore's {@link HttpRequestExecutor} over a leased pooled
         * connection, without HttpClient's execution chain (its redirects, retries, cookies,
         * authentication and URI rewriting are not wanted here): the request line carries the
         * path as written.
         */
        private Outcome attempt(URI uri, String method, String body) {
            int ms = (int) Math.max(1, timeout.toMillis());
            AnyMethod exchange = new AnyMethod(method, requestTarget(uri), body);
            request.headers().forEach(exchange::addHeader);
            if (body != null && !exchange.containsHeader("Content-Type")) {
                exchange.addHeader("Content-Type", "text/plain; charset=utf-8");
            }
            HttpRoute route =
                    new HttpRoute(new HttpHost(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), "http"));
            HttpCoreContext context = HttpCoreContext.create();
            // the Host header as the URI has it (no port when it has none)
            context.setTargetHost(new HttpHost(uri.getHost(), uri.getPort(), "http"));
            Cutoff cutoff = new Cutoff();
            ScheduledFuture<?> deadline = deadlines.schedule(cutoff, 2L * ms, TimeUnit.MILLISECONDS);
            HttpClientConnection connection = null;
            boolean reusable = false;
            long keepAliveMs = -1;
            try {
                connection = lease(route, ms);
                cutoff.attach(connection);
                if (!connection.isOpen()) {
                    pool.connect(
                            connection,
                            route,
                            (int) Math.max(1, connectTimeout(timeout).toMillis()),
                            context);
                    pool.routeComplete(connection, route, context);
                }
                connection.setSocketTimeout(ms);
                REQUESTS.preProcess(exchange, PROTOCOL, context);
                HttpResponse response = REQUESTS.execute(exchange, connection, context);
                byte[] bytes = bodyOf(response.getEntity());
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (Header h : response.getAllHeaders()) {
                    headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
                }
                reusable = DefaultConnectionReuseStrategy.INSTANCE.keepAlive(response, context);
                keepAliveMs = DefaultConnectionKeepAliveStrategy.INSTANCE.getKeepAliveDuration(response, context);
                return new Outcome(response.getStatusLine().getStatusCode(), headers, bytes, null, null, false, false);
            } catch (IOException e) {
                return classify(e, cutoff.fired());
            } catch (HttpException e) {
                return classify(new ClientProtocolException(e), cutoff.fired());
            } finally {
                // once finished, the cut-off no longer touches the connection: it may go back to the pool
                reusable &= cutoff.finish();
                deadline.cancel(false);
                if (connection != null) {
                    giveBack(connection, reusable, keepAliveMs);
                }
            }
        }

        /** A pooled connection to the route (not yet open when new), waiting at most {@code ms} for one. */
        private HttpClientConnection lease(HttpRoute route, int ms) throws IOException {
            ConnectionRequest lease = pool.requestConnection(route, null);
            try {
                return lease.get(ms, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                lease.cancel();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a connection to " + route);
            } catch (ExecutionException e) {
                throw new IOException("no connection to " + route, e.getCause());
            }
        }

        private Outcome classify(IOException e, boolean cutOff) {
            if (e instanceof ConnectTimeoutException) {
                return Outcome.error(
                        NoAnswer.NOT_ACCEPTED,
                        CONNECT_TIMEOUT + " within " + Text.millis(connectTimeout(timeout)),
                        false,
                        true);
            }
            if (cutOff || e instanceof SocketTimeoutException) {
                return Outcome.error(NoAnswer.TIMED_OUT, NO_ANSWER + " within " + Text.millis(timeout), false, false);
            }
            ConnectException refused = causeOf(e, ConnectException.class);
            if (refused != null) {
                String why = deepestMessage(refused);
                boolean plainRefusal =
                        why == null || why.toLowerCase(Locale.ROOT).contains("refused");
                return Outcome.error(
                        plainRefusal ? NoAnswer.REFUSED : NoAnswer.NOT_SENT,
                        plainRefusal ? "connection refused" : "cannot connect: " + why,
                        false,
                        true);
            }
            String why = deepestMessage(e);
            return Outcome.error(
                    NoAnswer.CLOSED,
                    "connection closed without a response" + (why == null ? "" : " (" + why + ")"),
                    true,
                    false);
        }

        /** A redirect that may not be followed: the node that sent it did not act on the request. */
        private Response unsent(Node target, URI uri, String error) {
            return Response.unsent(origin, target, request, uri, elapsed(), NoAnswer.NOT_SENT, error);
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    /** A request with any method, with or without a body (PUT, POST and PATCH without one send Content-Length: 0). */
    private static final class AnyMethod extends BasicHttpEntityEnclosingRequest {

        AnyMethod(String method, String target, String body) {
            super(method, target, HttpVersion.HTTP_1_1);
            if (body != null) {
                setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8)));
            }
        }

        @Override
        public boolean expectContinue() {
            return false;
        }
    }

    /**
     * The 2× cut-off of one exchange: when it fires before the exchange finished, it shuts the
     * exchange's connection down (now, or as soon as the connection is leased), which ends a
     * blocked read; once the exchange finished it does nothing, as the connection may already
     * serve another exchange.
     */
    private static final class Cutoff implements Runnable {
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile boolean fired;
        private volatile HttpClientConnection connection;

        @Override
        public void run() {
            if (over.compareAndSet(false, true)) {
                fired = true;
                shutDown(connection);
            }
        }

        void attach(HttpClientConnection leased) {
            connection = leased;
            if (fired) {
                shutDown(leased);
            }
        }

        boolean fired() {
            return fired;
        }

        /** Ends the race with the cut-off: true when the exchange finished first. */
        boolean finish() {
            return over.compareAndSet(false, true);
        }
    }

    /**
     * The path and query of the URI as the request line carries them: as written, only non-ASCII
     * characters percent-encoded as UTF-8.
     */
    private static String requestTarget(URI uri) {
        String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) >= 128) {
                // a URI made from a string gives that string back, percent-encoding what is not ASCII
                return URI.create(target).toASCIIString();
            }
        }
        return target;
    }

    /** The whole body: into an array of the announced length when there is one, else until its end. */
    private static byte[] bodyOf(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        long length = entity.getContentLength();
        try (InputStream in = entity.getContent()) {
            if (length >= 0 && length <= SIZED_BODY_MAX) {
                byte[] body = new byte[(int) length];
                // Content-Length's stream throws when the connection closes before the last byte
                in.readNBytes(body, 0, body.length);
                return body;
            }
            return in.readAllBytes();
        }
    }

    /** Returns a leased connection to the pool: kept for another exchange, or closed first. */
    private void giveBack(HttpClientConnection connection, boolean reusable, long keepAliveMs) {
        if (!reusable) {
            try {
                connection.close();
            } catch (IOException e) {
                shutDown(connection);
            }
        }
        pool.releaseConnection(connection, null, reusable ? keepAliveMs : 0, TimeUnit.MILLISECONDS);
    }

    private static void shutDown(HttpClientConnection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.shutdown();
        } catch (IOException e) {
            // closed as far as it can be
        }
    }

    /**
     * An answer (status, headers, body), or why there is none; {@code staleConnection} marks a
     * connection that closed before any answer.
     */
    private record Outcome(
            int status,
            Map<String, List<String>> headers,
            byte[] body,
            NoAnswer noAnswer,
            String error,
            boolean staleConnection,
            boolean unsent) {

        static Outcome error(NoAnswer noAnswer, String error, boolean staleConnection, boolean unsent) {
            return new Outcome(-1, Map.of(), new byte[0], noAnswer, error, staleConnection, unsent);
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e ->
                            e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        /** This outcome of a retry: the stale first attempt may have reached the server, so nothing is certainly unsent. */
        Outcome afterStaleAttempt() {
            return new Outcome(status, headers, body, noAnswer, error, staleConnection, false);
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

    private static String base(Node node) {
        String uri = node.uri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
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
}
