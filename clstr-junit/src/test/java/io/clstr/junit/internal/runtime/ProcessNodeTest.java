package io.clstr.junit.internal.runtime;

import static io.clstr.junit.internal.runtime.Fixture.STARTUP;
import static io.clstr.junit.internal.runtime.Fixture.eventually;
import static io.clstr.junit.internal.runtime.Fixture.get;
import static io.clstr.junit.internal.runtime.Fixture.json;
import static io.clstr.junit.internal.runtime.Fixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.clstr.junit.ServerException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessNodeTest {

    @TempDir
    Path folder;

    @Test
    void nodeGetsTheEnvironmentContractAndInheritsClstrsEnvironment() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(
                    1,
                    Map.of(
                            "PEERS",
                            "127.0.0.1:1,127.0.0.1:2",
                            "ROUTES",
                            "n2=127.0.0.1:1,n3=127.0.0.1:2",
                            "LOG_LEVEL",
                            "debug"));

            JsonNode env = json(get(node, "/env").body());
            int port = f.ports.ports().get(0);
            assertThat(env.get("ADDR").asText()).isEqualTo("127.0.0.1:" + port);
            assertThat(env.get("PEERS").asText()).isEqualTo("127.0.0.1:1,127.0.0.1:2");
            assertThat(env.get("ROUTES").asText()).isEqualTo("n2=127.0.0.1:1,n3=127.0.0.1:2");
            assertThat(env.get("DATA_DIR").asText())
                    .isEqualTo(f.runtime.dataDir("n1").toString());
            assertThat(env.get("CLSTR_RUN_ID").asText()).isEqualTo(f.runtime.runId());
            assertThat(env.get("cwd").asText()).isEqualTo(folder.toRealPath().toString());
            assertThat(get(node, "/env/LOG_LEVEL").body()).isEqualTo("debug");
            assertThat(get(node, "/env/PATH").body()).isEqualTo(System.getenv("PATH"));
            assertThat(node.uri()).hasToString("http://127.0.0.1:" + port);
            // the node leads its own process group, and that is the group the runtime signals
            assertThat(env.get("pgid").asLong()).isEqualTo(node.pgid().orElseThrow());
            assertThat(env.get("pgid").asLong())
                    .isNotEqualTo(Ps.all().stream()
                            .filter(r -> r.pid() == ProcessHandle.current().pid())
                            .findFirst()
                            .orElseThrow()
                            .pgid());
        }
    }

    @Test
    void outputReachesTheSinkAndTheLogTailLineByLine() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            get(node, "/env");

            assertThat(eventually(Duration.ofSeconds(10), () -> node.logTail(10).contains("GET /env 200")))
                    .isTrue();
            int port = f.ports.ports().get(0);
            assertThat(node.logTail(100)).contains("listening on 127.0.0.1:" + port);
            assertThat(f.output).contains("n1: listening on 127.0.0.1:" + port, "n1: GET /env 200");
        }
    }

    @Test
    void awaitHealthyWaitsUntilTheNodeAnswers200() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.node(1, Map.of("HEALTH_DELAY_MS", "2000"));
            node.start();
            node.awaitHealthy(STARTUP);

            assertThat(get(node, "/health").statusCode()).isEqualTo(200);
            // the node logs a request after answering it, so its lines may trail the answer a little
            assertThat(eventually(
                            Duration.ofSeconds(10), () -> node.logTail(1000).contains("GET /health 200")))
                    .isTrue();
            List<String> log = node.logTail(1000);
            assertThat(log).contains("GET /health 503");
            assertThat(log.indexOf("GET /health 503")).isLessThan(log.indexOf("GET /health 200"));
            assertThat(node.isAlive()).isTrue();
        }
    }

    @Test
    void healthTimeoutNamesNodeWhatWasAwaitedAndTheTimeoutAndQuotesTheLog() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.node(1, Map.of("FAIL_HEALTH", "1"));
            node.start();
            assertThat(eventually(
                            STARTUP, () -> node.logTail(100).stream().anyMatch(l -> l.startsWith("listening on"))))
                    .isTrue();
            assertThat(get(node, "/health").statusCode()).isEqualTo(503);
            assertThat(eventually(
                            Duration.ofSeconds(10), () -> node.logTail(100).contains("GET /health 503")))
                    .isTrue();

            ServerException e =
                    catchThrowableOfType(ServerException.class, () -> node.awaitHealthy(Duration.ofMillis(300)));

            assertThat(e.getMessage())
                    .as("the last try is named: 503, or no answer at all on a starved machine")
                    .matches("n1 did not answer GET /health with 200 within 300 ms; the last try: "
                            + "(answered 503|no answer from 127\\.0\\.0\\.1:\\d+ within 250 ms)");
            assertThat(e.detail())
                    .hasSizeLessThanOrEqualTo(20)
                    .contains("GET /health 503")
                    .anyMatch(l -> l.startsWith("listening on 127.0.0.1:"));
            assertThat(node.isAlive()).isTrue();
        }
    }

    @Test
    void aNodeThatDoesNotListenIsToldWhereTheHealthCheckKnocked() {
        try (Fixture f =
                new Fixture(folder, 1, null, "echo not listening; exec sleep 30", ProcessRuntime.DEFAULT_GRACE)) {
            ProcessNode node = f.node(1, Map.of());
            node.start();

            ServerException e =
                    catchThrowableOfType(ServerException.class, () -> node.awaitHealthy(Duration.ofMillis(500)));

            String addr = node.spec().addr();
            assertThat(e.getMessage())
                    .isEqualTo(
                            "n1 did not answer GET /health with 200 within 500 ms; the last try: connection refused on "
                                    + addr + " — is the server listening on the port of ADDR (" + addr + ")?");
        }
    }

    @Test
    void exitBeforeHealthyIsReportedWithTheExitCodeAndTheLastOutput() {
        try (Fixture f = new Fixture(
                folder,
                1,
                null,
                "exec 2>&1; echo starting; for i in $(seq 1 30); do echo step $i; done; echo 'cannot bind: address in use' >&2; exit 3",
                ProcessRuntime.DEFAULT_GRACE)) {
            ProcessNode node = f.node(1, Map.of());
            node.start();

            ServerException e = catchThrowableOfType(ServerException.class, () -> node.awaitHealthy(STARTUP));

            assertThat(e.getMessage()).isEqualTo("n1 exited with code 3 before becoming healthy");
            assertThat(e.detail())
                    .hasSize(20)
                    .contains("cannot bind: address in use", "step 30")
                    .doesNotContain("starting", "step 1");
            assertThat(node.exitCode()).hasValue(3);
        }
    }

    @Test
    void exitAtStartOfTheTestNodeIsReportedToo() {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.node(1, Map.of("EXIT_AT_START", "7"));
            node.start();

            assertThatThrownBy(() -> node.awaitHealthy(STARTUP))
                    .isInstanceOf(ServerException.class)
                    .hasMessage("n1 exited with code 7 before becoming healthy")
                    .satisfies(e -> assertThat(((ServerException) e).detail())
                            .contains("exiting with code 7 as EXIT_AT_START asks"));
        }
    }

    @Test
    void killThenStartKeepsDataAddressAndPort() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            assertThat(send(node.uri(), "PUT", "/data/x", "hello", Duration.ofSeconds(5))
                            .statusCode())
                    .isEqualTo(200);
            JsonNode before = json(get(node, "/env").body());

            node.kill();
            assertThat(node.isAlive()).isFalse();
            assertThat(node.exitCode()).hasValue(137);
            node.start();
            node.awaitHealthy(STARTUP);

            JsonNode after = json(get(node, "/env").body());
            assertThat(get(node, "/data/x").body()).isEqualTo("hello");
            assertThat(after.get("ADDR")).isEqualTo(before.get("ADDR"));
            assertThat(after.get("DATA_DIR")).isEqualTo(before.get("DATA_DIR"));
            assertThat(after.get("pid")).isNotEqualTo(before.get("pid"));
            assertThat(node.uri())
                    .hasToString("http://127.0.0.1:" + f.ports.ports().get(0));
            assertThat(get(node, "/data/missing").statusCode()).isEqualTo(404);
            // the log tail spans both starts
            assertThat(eventually(
                            Duration.ofSeconds(10),
                            () -> node.logTail(1000).stream()
                                            .filter(l -> l.startsWith("listening on"))
                                            .count()
                                    == 2))
                    .isTrue();
        }
    }

    @Test
    void stopEndsTheWholeGroupIncludingAGrandchildThatIgnoresSigterm() throws Exception {
        try (Fixture f =
                new Fixture(folder, 1, null, io.clstr.junit.testnode.TestNodes.command(), Duration.ofSeconds(1))) {
            ProcessNode node = f.started(1, Map.of());
            long grandchild = Long.parseLong(send(node.uri(), "POST", "/spawn-grandchild", "", Duration.ofSeconds(5))
                    .body());
            long pgid = node.pgid().orElseThrow();
            assertThat(Ps.liveInGroup(pgid)).contains(pgid, grandchild);

            long start = System.nanoTime();
            node.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(Ps.liveInGroup(pgid)).isEmpty();
            assertThat(Ps.isLive(grandchild)).isFalse();
            assertThat(node.isAlive()).isFalse();
            // the node itself ended on SIGTERM; only the grandchild needed the SIGKILL after the grace period
            assertThat(node.exitCode()).hasValue(143);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(node.logTail(10)).contains("stopping (SIGTERM)", "stopped");
        }
    }

    @Test
    void killEndsTheWholeGroupIncludingAGrandchild() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            long grandchild = Long.parseLong(send(node.uri(), "POST", "/spawn-grandchild", "", Duration.ofSeconds(5))
                    .body());
            long pgid = node.pgid().orElseThrow();

            node.kill();

            assertThat(Ps.liveInGroup(pgid)).isEmpty();
            assertThat(Ps.isLive(grandchild)).isFalse();
            assertThat(node.logTail(10)).doesNotContain("stopping (SIGTERM)");
        }
    }

    /** A daemon that left the node's process group (setsid) is ended by a kill too, so the node starts again clean. */
    @Test
    void killEndsADaemonThatLeftTheNodesGroupAndTheNodeStartsAgainClean() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            long daemon = spawnDaemon(node);
            long pgid = node.pgid().orElseThrow();
            assertThat(Ps.isLive(daemon)).isTrue();
            assertThat(Ps.liveInGroup(pgid)).doesNotContain(daemon);

            node.kill();

            assertThat(Ps.isLive(daemon))
                    .as("the daemon, after the node's kill")
                    .isFalse();
            node.start();
            node.awaitHealthy(Duration.ofSeconds(30));
            assertThat(send(node.uri(), "GET", "/health", "", Duration.ofSeconds(5))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void stopEndsADaemonThatLeftTheNodesGroup() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            long daemon = spawnDaemon(node);

            node.stop();

            assertThat(Ps.isLive(daemon))
                    .as("the daemon, after the node's stop")
                    .isFalse();
        }
    }

    @Test
    void gracefulStopEndsBeforeTheGracePeriod() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            long pgid = node.pgid().orElseThrow();

            long start = System.nanoTime();
            node.stop(Duration.ofSeconds(60));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
            assertThat(node.exitCode()).hasValue(143);
            assertThat(Ps.liveInGroup(pgid)).isEmpty();
            assertThat(node.logTail(10)).contains("stopping (SIGTERM)", "stopped");
        }
    }

    @Test
    void stopEscalatesToSigkillWhenTheNodeOutlastsTheGracePeriod() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of("STOP_DELAY_MS", "120000"));
            long pgid = node.pgid().orElseThrow();

            long start = System.nanoTime();
            node.stop(Duration.ofMillis(800));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(800)).isLessThan(Duration.ofSeconds(60));
            assertThat(Ps.liveInGroup(pgid)).isEmpty();
            // the node began its slow shutdown on SIGTERM and was killed before it finished
            assertThat(node.logTail(10)).contains("stopping (SIGTERM)").doesNotContain("stopped");
        }
    }

    @Test
    void pausedNodeAnswersNothingUntilResumed() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());

            node.pause();
            assertThat(node.isPaused()).isTrue();
            assertThat(node.isAlive()).isTrue();
            assertThat(Ps.all().stream().filter(r -> r.pgid() == node.pgid().orElseThrow()))
                    .allMatch(r -> r.stat().startsWith("T"));
            assertThatThrownBy(() -> send(node.uri(), "GET", "/health", null, Duration.ofSeconds(1)))
                    .isInstanceOf(HttpTimeoutException.class);

            node.resume();
            assertThat(node.isPaused()).isFalse();
            assertThat(send(node.uri(), "GET", "/health", null, Duration.ofSeconds(10))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void stoppingAPausedNodeWakesItToHandleSigterm() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            node.pause();

            node.stop(Duration.ofSeconds(60));

            assertThat(node.exitCode()).hasValue(143);
            assertThat(node.logTail(10)).contains("stopping (SIGTERM)", "stopped");
            assertThat(node.isPaused()).isFalse();
        }
    }

    @Test
    void killingAPausedNodeEndsIt() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            long pgid = node.pgid().orElseThrow();
            node.pause();

            node.kill();

            assertThat(Ps.liveInGroup(pgid)).isEmpty();
            assertThat(node.exitCode()).hasValue(137);
            assertThat(node.isPaused()).isFalse();
        }
    }

    @Test
    void startCreatesTheDataFolderAndRefusesASecondStart() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.node(1, Map.of());
            Files.delete(f.runtime.dataDir("n1"));

            node.start();

            assertThat(f.runtime.dataDir("n1")).isDirectory();
            assertThatThrownBy(node::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("n1 is already running");
            node.awaitHealthy(STARTUP);
        }
    }

    @Test
    void awaitHealthyBeforeStartIsAMistake() {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.node(1, Map.of());
            assertThatThrownBy(() -> node.awaitHealthy(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("n1 has not been started");
            assertThat(node.pgid()).isEmpty();
            assertThat(node.isAlive()).isFalse();
        }
    }

    /**
     * At teardown the node's group is killed at once, and what left the group is left to the runtime's
     * close, which ends every process of the run (one search of /proc for the whole cluster).
     */
    @Test
    void killAtTeardownEndsTheGroupAndLeavesADaemonToTheRuntimesClose() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            long daemon = spawnDaemon(node);
            long pgid = node.pgid().orElseThrow();

            node.killAtTeardown();

            assertThat(Ps.liveInGroup(pgid))
                    .as("the node's group after killAtTeardown")
                    .isEmpty();
            assertThat(node.isAlive()).isFalse();
            f.runtime.close();
            assertThat(Ps.isLive(daemon))
                    .as("the daemon, after the runtime's close")
                    .isFalse();
        }
    }

    /** Has the test node start a process that leaves its group (setsid); returns its pid. */
    private static long spawnDaemon(ProcessNode node) throws Exception {
        return Long.parseLong(send(node.uri(), "POST", "/spawn-daemon", "", Duration.ofSeconds(5))
                .body()
                .trim());
    }
}
