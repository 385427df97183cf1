package io.clstr.junit.internal.runtime;

import static io.clstr.junit.internal.runtime.Fixture.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import io.clstr.junit.testnode.TestNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRuntimeTest {

    @TempDir
    Path folder;

    @Test
    void missingRunCommandIsASetupError() {
        for (String run : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> new ProcessRuntime(folder, "make", run, (n, l) -> {}))
                    .isInstanceOf(SetupException.class)
                    .hasMessageStartingWith("add a `run:` command to clstr.yaml");
        }
        assertThat(folder.resolve(".clstr")).doesNotExist();
    }

    @Test
    void buildRunsOnceInTheChallengeFolder() throws Exception {
        try (ProcessRuntime runtime =
                new ProcessRuntime(folder, "echo built >> build.log; pwd > where", "true", (n, l) -> {})) {
            runtime.build();
            runtime.build();

            assertThat(Files.readAllLines(folder.resolve("build.log"))).containsExactly("built");
            assertThat(Files.readString(folder.resolve("where")).trim())
                    .isEqualTo(folder.toRealPath().toString());
            assertThat(runtime.name()).isEqualTo("process");
        }
    }

    @Test
    void noBuildCommandMeansNothingToBuild() {
        try (ProcessRuntime runtime = new ProcessRuntime(folder, " ", "true", (n, l) -> {})) {
            runtime.build();
            assertThat(runtime.folder()).isEqualTo(folder.toAbsolutePath().normalize());
        }
    }

    @Test
    void failedBuildReportsExitCodeCommandAndTheTailOfItsOutput() {
        String build =
                "echo compiling; for i in $(seq 1 40); do echo line $i; done; echo 'main.go:3: undefined: x' >&2; exit 4";
        try (ProcessRuntime runtime = new ProcessRuntime(folder, build, "true", (n, l) -> {})) {
            ServerException e = catchThrowableOfType(ServerException.class, runtime::build);

            assertThat(e.getMessage())
                    .isEqualTo("the build command failed (exit code 4): fix what `" + build
                            + "` reports below (whole output: .clstr/build.log)");
            assertThat(e.detail())
                    .hasSize(20)
                    .contains("main.go:3: undefined: x", "line 40")
                    .doesNotContain("compiling", "line 1");
        }
    }

    @Test
    void theBuildsOutputIsKeptInTheBuildLog() throws IOException {
        try (ProcessRuntime runtime = new ProcessRuntime(folder, "echo one; echo two >&2", "true", (n, l) -> {})) {
            runtime.build();
            assertThat(Files.readAllLines(runtime.buildLog())).containsExactly("one", "two");
        }
    }

    /** A build still running at its timeout is ended, with what it started in the background. */
    @Test
    void aBuildStillRunningAtItsTimeoutIsEndedWithEverythingItStarted() throws IOException {
        String build = "echo compiling; sleep 300 & echo $! > background; wait";
        long start = System.nanoTime();
        try (ProcessRuntime runtime = new ProcessRuntime(
                folder, build, Duration.ofSeconds(1), "true", (n, l) -> {}, ProcessRuntime.DEFAULT_GRACE)) {
            ServerException e = catchThrowableOfType(ServerException.class, runtime::build);

            assertThat(e.getMessage())
                    .isEqualTo("the build command did not finish within 1 s: `" + build + "` was ended; make it "
                            + "faster or raise build_timeout in clstr.yaml (whole output: .clstr/build.log)");
            assertThat(e.detail()).containsExactly("compiling");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        long background =
                Long.parseLong(Files.readString(folder.resolve("background")).trim());
        assertThat(Ps.isLive(background)).as("the build's background sleep").isFalse();
    }

    @Test
    void closeEndsEveryNodeAndIsIdempotent() throws Exception {
        Fixture f = new Fixture(folder, 2);
        List<Long> groups = new ArrayList<>();
        try {
            for (int i = 1; i <= 2; i++) {
                ProcessNode node = f.node(i, Map.of());
                node.start();
                node.awaitHealthy(STARTUP);
                groups.add(node.pgid().orElseThrow());
            }
            Path runFile = f.runtime.runDir().resolve("processes");
            assertThat(Files.readString(runFile))
                    .contains(
                            "group " + groups.get(0) + " " + f.runtime.runId() + " n1",
                            "group " + groups.get(1) + " " + f.runtime.runId() + " n2");

            f.runtime.close();

            for (long pgid : groups) {
                assertThat(Ps.liveInGroup(pgid)).isEmpty();
            }
            assertThat(runFile).doesNotExist();
            f.runtime.close();
            assertThatThrownBy(() -> f.node(1, Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        } finally {
            f.close();
        }
    }

    @Test
    void closeAlsoEndsAProcessThatLeftItsNodesGroup() throws Exception {
        Fixture f = new Fixture(folder, 1, null, Fixture.escapingRun(), ProcessRuntime.DEFAULT_GRACE);
        try {
            ProcessNode node = f.started(1, Map.of());
            long escaped = Fixture.escapedPid(folder);
            assertThat(Ps.isLive(escaped)).isTrue();
            assertThat(Ps.liveInGroup(node.pgid().orElseThrow())).doesNotContain(escaped);

            f.runtime.close();

            assertThat(Ps.isLive(escaped)).isFalse();
        } finally {
            f.close();
        }
    }

    @Test
    void sweepEndsWhatAnEndedNodeLeftAndCloseSearchesAgainAfterALaterStart() throws Exception {
        Fixture f = new Fixture(folder, 1, null, Fixture.escapingRun(), ProcessRuntime.DEFAULT_GRACE);
        try {
            ProcessNode node = f.started(1, Map.of());
            long first = Fixture.escapedPid(folder);
            node.killAtTeardown(); // as a cluster's teardown ends it: no search of its own
            assertThat(Ps.isLive(first))
                    .as("outside the node's group, the kill does not reach it")
                    .isTrue();

            f.runtime.sweep();

            assertThat(Ps.isLive(first)).isFalse();
            Files.delete(folder.resolve("escaped.pid"));
            node.start(); // a process started after the sweep: close must search again
            long second = Fixture.escapedPid(folder);
            assertThat(second).isNotEqualTo(first);
            assertThat(Ps.isLive(second)).isTrue();
            node.killAtTeardown();

            f.runtime.close();

            assertThat(Ps.isLive(second)).isFalse();
        } finally {
            f.close();
        }
    }

    @Test
    void runFileFollowsStartsAndEnds() throws Exception {
        try (Fixture f = new Fixture(folder, 1)) {
            ProcessNode node = f.started(1, Map.of());
            Path runFile = f.runtime.runDir().resolve("processes");
            long pgid = node.pgid().orElseThrow();
            assertThat(Files.readString(runFile)).contains("run " + f.runtime.runId(), "group " + pgid + " ");

            node.kill();

            assertThat(Files.readString(runFile))
                    .contains("run " + f.runtime.runId())
                    .containsSubsequence("group " + pgid + " ", "ended " + pgid + "\n");
        }
    }

    @Test
    void concurrentClosesBothReturnAfterEverythingEnded() throws Exception {
        Fixture f = new Fixture(folder, 1);
        try {
            ProcessNode node = f.started(1, Map.of());
            long pgid = node.pgid().orElseThrow();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    f.runtime.close();
                    return Ps.liveInGroup(pgid);
                }));
            }
            go.countDown();
            for (Future<List<Long>> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEmpty();
            }
            pool.shutdown();
        } finally {
            f.close();
        }
    }

    @Test
    void secondRuntimeInTheSameFolderIsRefusedWhileTheFirstLives() {
        try (ProcessRuntime first = new ProcessRuntime(folder, null, "true", (n, l) -> {})) {
            assertThatThrownBy(() -> new ProcessRuntime(folder, null, "true", (n, l) -> {}))
                    .isInstanceOf(SetupException.class)
                    .hasMessage(
                            "another clstr run (pid " + ProcessHandle.current().pid() + ") is using " + first.runDir()
                                    + "; wait for it to end or stop it, then run again");
        }
        try (ProcessRuntime again = new ProcessRuntime(folder, null, "true", (n, l) -> {})) {
            assertThat(again.runDir()).isDirectory();
        }
    }

    @Test
    void freshDataDirEmptiesWhatAnEarlierStageLeft() throws Exception {
        try (ProcessRuntime runtime = new ProcessRuntime(folder, null, TestNodes.command(), (n, l) -> {})) {
            Path data = runtime.freshDataDir("n1");
            Files.createDirectories(data.resolve("raft/log"));
            Files.writeString(data.resolve("raft/log/0001"), "term 1");

            Path again = runtime.freshDataDir("n1");

            assertThat(again)
                    .isEqualTo(folder.toAbsolutePath().resolve(".clstr/run/n1/data"))
                    .isEmptyDirectory();
        }
    }

    @Test
    void nodesNeverStartAfterClose() {
        Fixture f = new Fixture(folder, 1);
        ProcessNode node = f.node(1, Map.of());
        f.close();

        assertThatThrownBy(node::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(node.isAlive()).isFalse();
    }

    @Test
    void graceDefaultsToFiveSeconds() {
        try (ProcessRuntime runtime = new ProcessRuntime(folder, null, "true", (n, l) -> {})) {
            assertThat(runtime.grace()).isEqualTo(Duration.ofSeconds(5));
        }
    }
}
