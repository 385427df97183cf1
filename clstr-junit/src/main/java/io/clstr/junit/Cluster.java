package io.clstr.junit;

import io.clstr.junit.check.HttpCheck;
import io.clstr.junit.check.LatencyStats;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.check.Selector;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.HistoryCheck;
import io.clstr.junit.history.Timeline;
import io.clstr.junit.history.Violation;
import io.clstr.junit.internal.Background;
import io.clstr.junit.internal.ClusterAccess;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.Text;
import io.clstr.junit.internal.Trees;
import io.clstr.junit.internal.Workers;
import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.internal.check.Http;
import io.clstr.junit.internal.check.HttpChecks;
import io.clstr.junit.internal.docker.DockerOptions;
import io.clstr.junit.internal.docker.DockerRuntime;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.internal.network.Fabric;
import io.clstr.junit.internal.runtime.Layout;
import io.clstr.junit.internal.runtime.LoopbackLayout;
import io.clstr.junit.internal.runtime.NodeRuntime;
import io.clstr.junit.internal.runtime.NodeSpec;
import io.clstr.junit.internal.runtime.PortRange;
import io.clstr.junit.internal.runtime.ProcessRuntime;
import io.clstr.junit.internal.timing.Ledger;
import io.clstr.junit.linearizability.Checker;
import io.clstr.junit.linearizability.Model;
import io.clstr.junit.linearizability.Result;
import io.clstr.junit.linearizability.Verdict;
import io.clstr.junit.network.Impairment;
import io.restassured.RestAssured;
import io.restassured.config.DecoderConfig;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * A running cluster of the learner's server: its nodes, the network between them, and
 * the checks a stage makes against it. Created by {@link ClstrCluster} for a stage class
 * (or by {@link #builder(Path)} in code), closed when the stage ends.
 *
 * <pre>{@code
 * cluster.partition(List.of(n1, n2), List.of(n3, n4, n5));
 * cluster.get(atLeastOne(), "/cluster/info").eventually(Duration.ofSeconds(3))
 *        .json("role", "leader").hint("...").check();
 * }</pre>
 */
public final class Cluster implements AutoCloseable {
    static {
        ClusterAccess.register(new Internals());
    }

    private static final Duration CHECK_LIMIT = Duration.ofSeconds(60);
    /** The part of a stage's time ({@link Ledger}) spent putting network faults in place and taking them out. */
    private static final String FAULTS = "network faults";

    private final Config settings;
    private final RunLog log;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final Random random;
    private Fabric fabric;
    private Http http;
    private HttpChecks checks;
    private Thread shutdownHook;
    private boolean closed;
    /**
     * Teardown work started once the nodes have ended, on threads of its own: the runtime's search for
     * what the nodes left behind and the client's close. The runtime's close awaits them.
     */
    private final List<Background> closingBeside = new ArrayList<>();

    private final CheckContext context = new Context();

    private Cluster(Config settings, RunLog log) {
        this.settings = settings;
        this.log = log;
        this.random = new Random(settings.seed());
    }

    /** Starts configuring a cluster whose learner's server lives in {@code folder}. */
    public static Builder builder(Path folder) {
        return new Builder(folder);
    }

    // ---------------------------------------------------------------- nodes

    /** Every node of this stage in order, spares included. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The initial members, {@code n1}…{@code nN} (spares excluded). */
    public List<Node> members() {
        return List.copyOf(nodes.subList(0, settings.members()));
    }

    /** The spares: nodes not started at first and in no one's {@code PEERS}. */
    public List<Node> spares() {
        return List.copyOf(nodes.subList(settings.members(), nodes.size()));
    }

    /** Node {@code nN} (1-based). */
    public Node node(int number) {
        if (number < 1 || number > nodes.size()) {
            throw new IllegalArgumentException("no node n" + number + ": this cluster has n1…n" + nodes.size());
        }
        return nodes.get(number - 1);
    }

    /** The node with this name ({@code n3}) or identity ({@code ADDR}). */
    public Node node(String nameOrAddr) {
        return nodes.stream()
                .filter(n -> n.name().equals(nameOrAddr) || n.addr().equals(nameOrAddr))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named or addressed " + nameOrAddr));
    }

    /** The nodes that have a process (running or paused). */
    public List<Node> live() {
        return nodes.stream()
                .filter(n -> n.state().isLive())
                .map(Node.class::cast)
                .toList();
    }

    /** The initial members other than {@code excluded}, in node order. */
    public List<Node> othersThan(Collection<? extends Node> excluded) {
        return members().stream().filter(n -> !excluded.contains(n)).toList();
    }

    /** The initial members other than {@code excluded}, in node order. */
    public List<Node> othersThan(Node... excluded) {
        return othersThan(Arrays.asList(excluded));
    }

    /** A member other than {@code excluded}, chosen with {@link #random()} (so {@code --seed} replays it). */
    public Node randomOther(Node... excluded) {
        List<Node> others = othersThan(excluded);
        if (others.isEmpty()) {
            throw new IllegalArgumentException(
                    "no member is left once " + Nodes.names(Arrays.asList(excluded)) + " are excluded");
        }
        return others.get(random.nextInt(others.size()));
    }

    /** Starts every node given at once and waits until all are healthy. */
    public void start(Node... which) {
        inParallel(Arrays.asList(which), Node::start);
    }

    /** SIGKILLs every node given at once. */
    public void kill(Node... which) {
        inParallel(Arrays.asList(which), Node::kill);
    }

    /** SIGSTOPs every node given at once (see {@link Node#pause()}). */
    public void pause(Node... which) {
        inParallel(Arrays.asList(which), Node::pause);
    }

    /**
     * SIGCONTs every node given at once, so that they resume within milliseconds of each other
     * rather than one after another (see {@link Node#resume()}).
     */
    public void resume(Node... which) {
        inParallel(Arrays.asList(which), Node::resume);
    }

    // ---------------------------------------------------------------- checks

    /** A check of {@code GET path} on the selected nodes. */
    public HttpCheck get(Selector selector, String path) {
        return checks.get(selector, path);
    }

    /** A check of {@code PUT path} with {@code body} on the selected nodes. */
    public HttpCheck put(Selector selector, String path, String body) {
        return checks.put(selector, path, body);
    }

    /** A check of {@code POST path} with {@code body} on the selected nodes. */
    public HttpCheck post(Selector selector, String path, String body) {
        return checks.post(selector, path, body);
    }

    /** A check of {@code DELETE path} on the selected nodes. */
    public HttpCheck delete(Selector selector, String path) {
        return checks.delete(selector, path);
    }

    /** A check of any method on the selected nodes. */
    public HttpCheck request(String method, Selector selector, String path) {
        return checks.request(method, selector, path);
    }

    /** Sends one request and returns what came back, without expectations. */
    public Response send(Node node, Request request) {
        return checks.send(node, request);
    }

    /**
     * Sends {@code request} to every node given at once and returns every answer (or the error
     * that stood for one), in the order the nodes were given; the stage's request timeout applies
     * unless the request sets one.
     */
    public List<Response> ask(Collection<? extends Node> which, Request request) {
        return checks.ask(which, request);
    }

    /**
     * A REST Assured request aimed at {@code node}, for what the check DSL does not cover: the base
     * URI of the node as this machine reaches it (read now, so a restarted node's new port is used),
     * the stage's request timeout for connecting and for the answer, paths sent as written (no
     * re-encoding), no redirects followed, bodies sent and read as UTF-8.
     *
     * <pre>{@code
     * String id = cluster.given(n1).get("/cluster/info").then().statusCode(200).extract().path("id");
     * assertThat(id).isEqualTo(n1.addr());
     * }</pre>
     */
    public RequestSpecification given(Node node) {
        int millis = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
        String base = node.uri().toString();
        return RestAssured.given()
                .baseUri(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                .urlEncodingEnabled(false)
                .redirects()
                .follow(false)
                .config(RestAssuredConfig.config()
                        .httpClient(HttpClientConfig.httpClientConfig()
                                .setParam("http.connection.timeout", millis)
                                .setParam("http.socket.timeout", millis))
                        .encoderConfig(EncoderConfig.encoderConfig().defaultContentCharset(StandardCharsets.UTF_8))
                        .decoderConfig(DecoderConfig.decoderConfig().defaultContentCharset(StandardCharsets.UTF_8)));
    }

    /** Runs {@code op(0..n-1)} with at most 50 in flight, records latency stats on the timeline, and fails if any op failed. */
    public LatencyStats concurrently(int n, IntConsumer op) {
        return checks.concurrently(n, op);
    }

    /**
     * As {@link #concurrently(int, IntConsumer)} with at most {@code maxInFlight} in flight: for a
     * bulk verification (reading back thousands of keys) that must not turn into a load test.
     */
    public LatencyStats concurrently(int n, int maxInFlight, IntConsumer op) {
        return checks.concurrently(n, maxInFlight, op);
    }

    // ---------------------------------------------------------------- faults

    /**
     * Replaces any earlier partition with these groups (nodes in no group keep full
     * connectivity), then waits the settle time.
     */
    @SafeVarargs
    public final void partition(List<? extends Node>... groups) {
        partitionNow(groups);
        settle();
    }

    /**
     * Like {@link #partition} but returns as soon as the partition is in place, without the settle:
     * for tests that must act while the cluster has not yet noticed, such as writing to a leader
     * that is about to lose its majority.
     */
    @SafeVarargs
    public final void partitionNow(List<? extends Node>... groups) {
        try (Ledger.Span timed = Ledger.part(FAULTS)) {
            fabric.partition(Stream.of(groups)
                    .map(g -> g.stream().map(Node::name).toList())
                    .toList());
        }
    }

    /** Loses every byte {@code from} sends to {@code to} (the other direction still flows), then settles. */
    public void cut(Node from, Node to) {
        try (Ledger.Span timed = Ledger.part(FAULTS)) {
            fabric.cut(from.name(), to.name());
        }
        settle();
    }

    /** Removes every partition and cut (impairments stay), then settles. */
    public void heal() {
        try (Ledger.Span timed = Ledger.part(FAULTS)) {
            fabric.heal();
        }
        settle();
    }

    /** Degrades what {@code nodes} send (see {@link Impairment}); takes effect at once, no settle. */
    public void impair(Collection<? extends Node> which, Impairment... impairments) {
        try (Ledger.Span timed = Ledger.part(FAULTS)) {
            for (Impairment i : impairments) {
                fabric.impair(which.stream().map(Node::name).toList(), i);
            }
        }
    }

    /** Removes the impairments of the given nodes, or of every node when none are given. */
    public void repair(Node... which) {
        try (Ledger.Span timed = Ledger.part(FAULTS)) {
            fabric.repair(Arrays.stream(which).map(Node::name).toList());
        }
    }

    /** Waits the stage's settle time (DESIGN.md §5: faults settle before checks run). */
    public void settle() {
        Deadline.sleep(settings.settle(), "the network to settle");
    }

    /**
     * Waits {@code length}, a wait the scenario itself needs rather than a check ("every node stays
     * down until the key's TTL has passed", a calm stretch between faults); returns at once when
     * {@code length} is zero or negative, so {@code hold(Duration.ofNanos(deadline - System.nanoTime()),
     * ...)} waits until a moment that may have passed. The run shows {@code what} as what it waits
     * for, and counts the wait as the stage's own, not clstr's. Checks never wait this way: they
     * poll with eventually or consistently. An interrupt ends the wait with
     * {@link java.util.concurrent.CancellationException}, the interrupt flag kept.
     */
    public void hold(Duration length, String what) {
        Objects.requireNonNull(what, "what");
        if (length.isNegative() || length.isZero()) {
            return;
        }
        Deadline.sleep(length, what);
    }

    // ---------------------------------------------------------------- run

    /** The seed behind every random choice this cluster makes. */
    public long seed() {
        return settings.seed();
    }

    /** A random source driven by {@link #seed()}: use it for every random choice a stage makes. */
    public Random random() {
        return random;
    }

    /**
     * A new, empty history of client operations that also records, as faults, every kill, start,
     * stop, pause, partition, cut, heal, impairment and repair this cluster makes from now on.
     */
    public <I, O> History<I, O> history() {
        History<I, O> history = new History<>();
        log.onFault(history::fault);
        return history;
    }

    /**
     * Checks {@code history} against {@code model} with the linearizability checker (at most 60 s)
     * and fails unless it is linearizable: the failure holds the checker's report, the path of an
     * HTML timeline of the history written under {@link #timelines()} (each operation with the
     * node that served it, times as in {@code clstr logs}), and the hint, a diagnosis line then one
     * line per likely cause. A history the checker cannot decide in time fails too, with a hint of
     * its own: never a silent pass. The verdict is written to the run's log.
     */
    public <I, O> void assertLinearizable(
            History<I, O> history, Model<?, I, O> model, String diagnosis, String... causes) {
        assertLinearizable(history, model, CHECK_LIMIT, diagnosis, causes);
    }

    /** As {@link #assertLinearizable(History, Model, String, String...)}, deciding within {@code limit}. */
    public <I, O> void assertLinearizable(
            History<I, O> history, Model<?, I, O> model, Duration limit, String diagnosis, String... causes) {
        Result<I, O> result;
        try (Ledger.Span timed = Ledger.part("history check")) {
            result = Checker.check(model, history.operations(), limit);
        }
        log.event(String.format(
                Locale.ROOT,
                "LINEARIZABILITY: %s over %d operations (%d open) in %.0f ms",
                result.verdict(),
                history.entries().size(),
                history.entries().stream().filter(Entry::isOpen).count(),
                result.elapsedNanos() / 1e6));
        List<String> hint = new ArrayList<>();
        if (result.verdict() == Verdict.UNKNOWN) {
            hint.add(
                    result.undecided().equals(Result.MEMO_FULL)
                            ? "The checker could not decide: its search outgrew the memory it may use."
                            : "The checker could not decide within " + Text.describe(limit) + ".");
            hint.add("Each operation with an unknown outcome (a write that timed out or got a 5xx) may have "
                    + "happened at any later moment, and many of them make the search explode.");
            hint.add("Answer an error at once when the node cannot serve (for example 503 with no leader).");
            hint.add("When leadership is lost, fail the pending writes at once instead of letting them time out.");
        } else {
            hint.add(diagnosis);
            hint.addAll(Arrays.asList(causes));
        }
        Timeline.assertLinearizable(timelines(), history, model, result, log.started(), hint);
    }

    /**
     * Fails unless {@code history} has the property {@code check} checks (queue delivery, mutual
     * exclusion, fencing order...): the failure lists each violation, naming the values and
     * operations involved, then the path of an HTML timeline that marks them and the hint (a
     * diagnosis line, then one line per likely cause). Logs a {@code HISTORY CHECK} event.
     */
    public <I, O> void assertHolds(
            History<I, O> history, HistoryCheck<I, O> check, String diagnosis, String... causes) {
        List<Entry<I, O>> entries = history.entries();
        List<Violation> violations;
        try (Ledger.Span timed = Ledger.part("history check")) {
            violations = check.check(entries);
        }
        log.event(String.format(
                Locale.ROOT, "HISTORY CHECK: %d violations over %d operations", violations.size(), entries.size()));
        List<String> hint = new ArrayList<>();
        hint.add(diagnosis);
        hint.addAll(Arrays.asList(causes));
        Timeline.assertNoViolations(timelines(), history, violations, log.started(), hint);
    }

    /**
     * Where the nodes' data folders are: {@code .clstr/data/<name>} in the learner's folder, one
     * folder per node. They are kept after the cluster ends, and emptied when a cluster of the
     * same name (the same stage) starts.
     */
    public Path dataRoot() {
        return settings.folder()
                .resolve(".clstr")
                .resolve("data")
                .resolve(settings.name())
                .toAbsolutePath();
    }

    /** Where HTML timelines of failed histories go: {@code .clstr/timelines} in the learner's folder. */
    public Path timelines() {
        return settings.folder().resolve(".clstr").resolve("timelines").toAbsolutePath();
    }

    /** Ends every node, proxy and port this cluster holds and removes its data; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Ledger.Span timed = Ledger.part("teardown")) {
            closeResources();
        }
    }

    private void closeResources() {
        RuntimeException first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down: the hook runs this method, which is idempotent
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void start() {
        try (Ledger.Span timed = Ledger.part("cluster start")) {
            bringUp();
        }
    }

    private void bringUp() {
        shutdownHook = new Thread(this::close, "clstr-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path dataRoot = dataRoot();
        // the data of this stage's last run, kept until now for inspection, is moved aside and deleted
        // beside the start (deleting files mostly waits on the disk), awaited last at the teardown
        resources.push(Trees.deleteAside(dataRoot)::await);
        resources.push(log);
        resources.push(() -> log.event(RunLog.ENDED)); // ended last, just before the log closes
        Path clstrDir = settings.folder().resolve(".clstr");
        NodeRuntime runtime;
        try (Ledger.Span timed = Ledger.part("runtime")) {
            runtime = settings.runtime().create(settings, log);
        }
        resources.push(() -> {
            try {
                Background.awaitAll(closingBeside);
            } finally {
                runtime.close();
            }
        });
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.BUILD)) {
            runtime.build();
        } catch (SetupException e) {
            if (settings.runtime() == RuntimeKind.DOCKER && settings.runCommand() != null) {
                throw new SetupException(
                        e.getMessage() + "; clstr.yaml has a run: command, so --runtime process (or runtime: process) "
                                + "runs your server without Docker",
                        e.detail(),
                        e);
            }
            throw e;
        }

        int total = settings.members() + settings.spares();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            names.add("n" + i);
        }
        Layout layout;
        try (Ledger.Span timed = Ledger.part("layout")) {
            layout = settings.runtime().layout(settings, runtime, names);
        }
        resources.push(layout);
        try (Ledger.Span timed = Ledger.part("proxies")) {
            fabric = Fabric.create(layout::toxiproxy, log, names, layout.routes());
        }
        resources.push(fabric);

        List<RunLog.NodeRow> nodeRows = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String name = names.get(i);
            Path dataDir = dataRoot.resolve(name);
            Map<String, String> env = new LinkedHashMap<>(settings.env());
            List<String> peers = new ArrayList<>();
            List<String> allRoutes = new ArrayList<>();
            Map<String, String> routesByNode = new LinkedHashMap<>();
            for (int j = 0; j < total; j++) {
                if (j == i) {
                    continue;
                }
                String route = fabric.route(name, names.get(j));
                if (i < settings.members() && j < settings.members()) {
                    peers.add(route);
                }
                allRoutes.add(layout.addr(j) + "=" + route);
                routesByNode.put(names.get(j), route);
            }
            env.put("ADDR", layout.addr(i));
            env.put("PEERS", String.join(",", peers));
            env.put("ROUTES", String.join(",", allRoutes));
            env.put("DATA_DIR", layout.dataDir(i, dataDir));
            nodeRows.add(new RunLog.NodeRow(name, layout.addr(i), routesByNode));
            NodeSpec spec = new NodeSpec(name, layout.addr(i), layout.port(i), dataDir, env);
            nodes.add(new ClusterNode(
                    i + 1, spec, runtime.create(spec), log, settings.healthTimeout(), settings.grace()));
        }
        log.nodes(nodeRows);
        http = new Http(this::nodes, settings.requestTimeout());
        // the nodes end first: the client's connections (some 50 after a concurrently), closed beside the
        // nodes' end, held a node's SIGKILL back by 10-25 ms. Then the runtime's search for what the nodes
        // left behind (the process runtime reads all of /proc, 3-5 ms) and the client's close (4-6 ms) run
        // on threads of their own, beside the proxies' and the layout's close (which keep their order)
        Http client = http;
        resources.push(() -> closingBeside.add(Background.start(client::close)));
        resources.push(() -> {
            inParallel(nodes, ClusterNode::shutdown);
            closingBeside.add(Background.start(runtime::sweep));
        });
        checks = new HttpChecks(context);
        start(members().toArray(Node[]::new));
        log.event("CLUSTER READY");
    }

    /** Runs {@code action} on every item at once, on the JVM's kept threads ({@link Workers}); throws the first failure. */
    private static <T> void inParallel(List<T> items, java.util.function.Consumer<? super T> action) {
        if (items.size() == 1) {
            action.accept(items.get(0));
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(Workers.submit(() -> action.accept(item)));
        }
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                futures.forEach(other -> other.cancel(true));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Which runtime runs the nodes. */
    public enum RuntimeKind {
        /** Local process groups; nodes and proxies on 127.0.0.1, Toxiproxy inside this JVM. */
        PROCESS {
            @Override
            NodeRuntime create(Config s, RunLog log) {
                return new ProcessRuntime(
                        s.folder(), s.buildCommand(), s.buildTimeout(), s.runCommand(), log::output, s.grace());
            }

            @Override
            Layout layout(Config s, NodeRuntime runtime, List<String> names) {
                return LoopbackLayout.create(names, s.ports(), s.seed());
            }
        },
        /** One container per node, built from the folder's Dockerfile; Toxiproxy in a container. */
        DOCKER {
            @Override
            NodeRuntime create(Config s, RunLog log) {
                return new DockerRuntime(s.folder(), s.docker(), log::output);
            }

            @Override
            Layout layout(Config s, NodeRuntime runtime, List<String> names) {
                return ((DockerRuntime) runtime).layout(names, s.seed());
            }
        };

        abstract NodeRuntime create(Config s, RunLog log);

        /** Where this runtime puts the nodes and proxies; {@code runtime} is what {@link #create} made. */
        abstract Layout layout(Config s, NodeRuntime runtime, List<String> names);
    }

    /**
     * Everything a cluster is configured with, fixed when {@link Builder#start()} runs: a builder
     * used again afterwards configures the next cluster, never the running one.
     */
    record Config(
            Path folder,
            int members,
            int spares,
            String runCommand,
            String buildCommand,
            Duration buildTimeout,
            Map<String, String> env,
            Duration requestTimeout,
            Duration settle,
            Duration healthTimeout,
            Duration grace,
            long seed,
            PortRange ports,
            RuntimeKind runtime,
            DockerOptions docker,
            String name) {}

    /** Fluent configuration of a cluster; nothing runs until {@link #start()}. */
    public static final class Builder {
        private final Path folder;
        private int members = 1;
        private int spares;
        private String runCommand;
        private String buildCommand;
        private Duration buildTimeout = ProcessRuntime.DEFAULT_BUILD_TIMEOUT;
        private Map<String, String> env = Map.of();
        private Duration requestTimeout = Duration.ofMillis(500);
        private Duration settle = Duration.ofSeconds(3);
        private Duration healthTimeout = Duration.ofSeconds(10);
        private Duration grace = Duration.ofSeconds(5);
        private long seed = new Random().nextLong();
        private PortRange ports = PortRange.DEFAULT;
        private RuntimeKind runtime = RuntimeKind.PROCESS;
        private DockerOptions docker = DockerOptions.defaults();
        private String name = "cluster";

        private Builder(Path folder) {
            this.folder = folder.toAbsolutePath().normalize();
        }

        /** Number of initial members (default 1). */
        public Builder nodes(int members) {
            if (members < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, was " + members);
            }
            this.members = members;
            return this;
        }

        /** Nodes created but not started and not in anyone's PEERS (default 0). */
        public Builder spares(int spares) {
            if (spares < 0) {
                throw new IllegalArgumentException("spares cannot be negative, was " + spares);
            }
            this.spares = spares;
            return this;
        }

        /** The command that starts one node (run through {@code sh -c} in the folder). */
        public Builder run(String command) {
            this.runCommand = command;
            return this;
        }

        /** The command run once before the nodes start, or null. */
        public Builder build(String command) {
            this.buildCommand = command;
            return this;
        }

        /** How long the build command may run before it is ended and the start fails (default 10 min). */
        public Builder buildTimeout(Duration d) {
            this.buildTimeout = positive(d, "buildTimeout");
            return this;
        }

        /** Extra environment for every node. */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        /** The per-request timeout of checks and requests that set none (default 500 ms). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /** How long {@link Cluster#settle()} waits after partitions and heals (default 3 s). */
        public Builder settle(Duration d) {
            this.settle = Objects.requireNonNull(d, "settle");
            return this;
        }

        /** How long a starting node may take to answer {@code GET /health} with 200 (default 10 s). */
        public Builder healthTimeout(Duration d) {
            this.healthTimeout = positive(d, "healthTimeout");
            return this;
        }

        /** Time between SIGTERM and SIGKILL on a graceful stop (default 5 s). */
        public Builder grace(Duration d) {
            this.grace = Objects.requireNonNull(d, "grace");
            return this;
        }

        /**
         * The name of the cluster's data folder, {@code .clstr/data/<name>/<node>} (default
         * "cluster"; a stage's cluster is named after the stage): the nodes' data is kept after the
         * cluster ends, for inspection, and removed when a cluster of the same name starts.
         */
        public Builder name(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("a cluster name is letters, digits, '.', '_' and '-', was " + name);
            }
            this.name = name;
            return this;
        }

        /** The seed of every random choice the cluster makes (default: a random one, printed on failure). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Ports for nodes and proxies in the process runtime (clstr's own setting). */
        public Builder ports(PortRange range) {
            this.ports = Objects.requireNonNull(range, "ports");
            return this;
        }

        /** The runtime that runs the nodes (default {@link RuntimeKind#PROCESS}). */
        public Builder runtime(RuntimeKind kind) {
            this.runtime = Objects.requireNonNull(kind, "runtime");
            return this;
        }

        /** Settings of the docker runtime (clstr's own setting; default {@link DockerOptions#defaults()}). */
        public Builder docker(DockerOptions options) {
            this.docker = Objects.requireNonNull(options, "docker");
            return this;
        }

        /** The configuration as it stands now, fixed. */
        Config config() {
            return new Config(
                    folder,
                    members,
                    spares,
                    runCommand,
                    buildCommand,
                    buildTimeout,
                    env,
                    requestTimeout,
                    settle,
                    healthTimeout,
                    grace,
                    seed,
                    ports,
                    runtime,
                    docker,
                    name);
        }

        /** Starts the nodes and waits until they are healthy; on failure everything started is ended. */
        public Cluster start() {
            Config config = config();
            RunLog log;
            try (Ledger.Span timed = Ledger.part("run log")) {
                log = RunLog.create(
                        config.folder().resolve(".clstr").resolve("logs").resolve(config.name()));
            }
            Cluster c = new Cluster(config, log);
            try {
                c.start();
                return c;
            } catch (RuntimeException | Error e) {
                try {
                    c.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }

    /** What the checks reach through {@link CheckContext}: the cluster's plumbing, kept off its public surface. */
    private final class Context implements CheckContext {
        @Override
        public List<? extends Node> nodes() {
            return Cluster.this.nodes();
        }

        @Override
        public Http http() {
            return http;
        }

        @Override
        public void event(String text) {
            log.event(text);
        }

        @Override
        public Duration requestTimeout() {
            return settings.requestTimeout();
        }
    }

    /** The internal adapter: clstr's own code reaches a cluster's plumbing through {@link ClusterAccess}. */
    private static final class Internals implements ClusterAccess.Internals {
        @Override
        public CheckContext context(Cluster cluster) {
            return cluster.context;
        }

        @Override
        public RunLog log(Cluster cluster) {
            return cluster.log;
        }

        @Override
        public Fabric fabric(Cluster cluster) {
            return cluster.fabric;
        }
    }
}
