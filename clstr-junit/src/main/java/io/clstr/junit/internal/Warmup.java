package io.clstr.junit.internal;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.clstr.junit.Node;
import io.clstr.junit.NodeState;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.check.Select;
import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.internal.check.Http;
import io.clstr.junit.internal.check.HttpChecks;
import io.clstr.junit.internal.config.ClstrYaml;
import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.internal.runtime.HealthProbe;
import io.clstr.junit.internal.runtime.ProcessRuntime;
import io.clstr.junit.internal.timing.Ledger;
import io.clstr.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs, once per JVM and on a thread of its own, the code a JVM's first stage would otherwise load
 * and run for the first time while the learner waits: the JVM's kept threads ({@link Workers}, 50 of
 * them started first), reading clstr.yaml, a run id, String.format,
 * the process runtime's signalling shell and its reads of /proc ({@link ProcessRuntime#prepareJvm()}),
 * the run log's JSON, the embedded Toxiproxy server and its client creating a proxy and a toxic, a
 * health probe, and the checks (a GET, a PUT and a DELETE with their status and body, then 20 at a time
 * on the kept threads, a JSON body read).
 *
 * <p>It starts as early as the run knows that stages will run: when clstr's {@code main} sees a
 * stage-running subcommand ({@code test}, {@code next}) among its arguments, when a launcher session
 * opens in a challenge folder (a learner's {@code mvn test}, registered through {@code
 * ServiceLoader}), or when the test kit runs a stage. So it runs on the second core while the
 * command line, clstr.yaml, the build and JUnit's discovery run on the first. The first stage waits
 * for its end ({@link #await()}) after starting its cluster, so that the rest of it runs beside the
 * nodes' start and the tests run alone; its threads record nothing in the stage's ledger
 * ({@link Ledger#unrecordedThread()}). It writes no file and talks only to itself over loopback, on
 * ports the system picks; its one child process is the runtime's signalling shell, which lives as
 * long as the JVM and signals nothing but itself here. Whatever fails in it is left to the stage,
 * which meets the same code for real.
 */
public final class Warmup implements LauncherSessionListener {
    private static final String HOST = "127.0.0.1";
    private static final String YAML = "challenge: kv-store\nstage: http-api\nrun: ./server\nenv:\n  A: b\n";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The longest a stage waits for the warm-up: past it, the stage goes on and the warm-up with it. */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

    private static Thread thread;
    private static volatile Throwable failure;

    /** Starts the warm-up in a {@code mvn test} session of a challenge folder, one with a clstr.yaml. */
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (inChallengeFolder(Settings.folder())) {
            start();
        }
    }

    static boolean inChallengeFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(ClstrYaml.FILE));
    }

    /** What ended the warm-up early, or null: for tests, since the warm-up itself reports nothing. */
    static Throwable failure() {
        return failure;
    }

    /** Starts the warm-up unless it has started already in this JVM. */
    public static synchronized void start() {
        if (thread == null) {
            thread = new Thread(Warmup::run, "clstr-warmup");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Waits until the warm-up has ended, if one started, for at most 10 s; an interrupt ends the wait
     * and is kept.
     */
    public static void await() {
        Thread t;
        synchronized (Warmup.class) {
            t = thread;
        }
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(LONGEST_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run() {
        Ledger.unrecordedThread(); // its requests and parts are not the stage's, which may be open beside it
        try {
            // the JVM's kept threads, as many as a stage's concurrently runs at a time: first, so that they
            // wait idle when the first cluster's start hands work to them (a new thread there took 1-2 ms)
            Workers.start(HttpChecks.DEFAULT_MAX_IN_FLIGHT);
            UUID.randomUUID(); // a runtime's run id: the JVM's SecureRandom, set up once
            String.format(Locale.ROOT, "%.2f s, %d, %s", 1.5, 2, "x"); // durations and counts in reports: ~25 ms cold
            ProcessRuntime.prepareJvm(); // the shell that signals nodes (the JVM's first spawn, as a node's), /proc
            RunLog.renderSample();
            ClstrYaml.parse(YAML);
            Response.answered(
                            null,
                            null,
                            Request.get("/kv/a"),
                            URI.create("http://" + HOST + "/kv/a"),
                            200,
                            Map.of(),
                            "{\"value\":\"a\",\"entries\":[{\"term\":1}]}",
                            Duration.ZERO)
                    .json("entries[0].term");
            try (ToxiproxyServer server = ToxiproxyServer.start(HOST, 0, 0);
                    HealthProbe probe = new HealthProbe()) {
                ToxiproxyClient client = new ToxiproxyClient(HOST, server.port());
                Proxy proxy = client.createProxy("warmup", HOST + ":0", HOST + ":" + server.port());
                proxy.toxics().timeout("warmup", ToxicDirection.DOWNSTREAM, 0).remove();
                proxy.delete();
                URI api = URI.create("http://" + HOST + ":" + server.port());
                probe.send(api, TIMEOUT, "warmup");
                checks(new Loopback(api));
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e; // a warm-up only: the stage runs the same code and reports what fails there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stage's first kinds of checks, sent to the Toxiproxy API: GET, PUT and DELETE one by one, then 20 at a time. */
    private static void checks(Loopback node) {
        try (Http http = new Http(() -> List.of(node), TIMEOUT)) {
            HttpChecks checks = new HttpChecks(new CheckContext() {
                @Override
                public List<? extends Node> nodes() {
                    return List.of(node);
                }

                @Override
                public Http http() {
                    return http;
                }

                @Override
                public void event(String text) {}

                @Override
                public Duration requestTimeout() {
                    return TIMEOUT;
                }
            });
            String version = http.send(node, Request.get("/version")).body();
            checks.get(Select.node(node), "/version")
                    .status(200)
                    .body(version)
                    .hint("warm-up", "none")
                    .check();
            checks.put(Select.node(node), "/version", "a value")
                    .status(405)
                    .hint("warm-up", "none")
                    .check();
            checks.delete(Select.node(node), "/proxies/none")
                    .status(404)
                    .hint("warm-up", "none")
                    .check();
            checks.concurrently(20, i -> checks.post(Select.node(node), "/proxies/none", "{}")
                    .status(404)
                    .json("error", "proxy not found")
                    .check());
        }
    }

    /** The warm-up's only node: the Toxiproxy API, which answers requests but is never started or stopped. */
    private record Loopback(URI uri) implements Node {
        @Override
        public String name() {
            return "warmup";
        }

        @Override
        public int number() {
            return 1;
        }

        @Override
        public String addr() {
            return uri.getHost() + ":" + uri.getPort();
        }

        @Override
        public Path dataDir() {
            throw fixed();
        }

        @Override
        public NodeState state() {
            return NodeState.RUNNING;
        }

        @Override
        public void start() {
            throw fixed();
        }

        @Override
        public void stop() {
            throw fixed();
        }

        @Override
        public void kill() {
            throw fixed();
        }

        @Override
        public void restart(Restart how) {
            throw fixed();
        }

        @Override
        public void pause() {
            throw fixed();
        }

        @Override
        public void resume() {
            throw fixed();
        }

        @Override
        public List<String> logTail(int lines) {
            return List.of();
        }

        /** The warm-up only sends requests: its node has no data and is never started, stopped or paused. */
        private static UnsupportedOperationException fixed() {
            return new UnsupportedOperationException("the warm-up's node is the Toxiproxy API, which only answers");
        }
    }
}
