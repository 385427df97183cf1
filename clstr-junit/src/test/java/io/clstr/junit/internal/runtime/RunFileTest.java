package io.clstr.junit.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.testnode.ChildJvm;
import io.clstr.junit.testnode.ClusterMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a clstr JVM leaves behind when it dies: nothing, once the next run (or its own shutdown hook) is done. */
class RunFileTest {
    private static final Duration READY = Duration.ofSeconds(120);

    @TempDir
    Path folder;

    @Test
    void nextRunEndsTheNodesOfACrashedJvm() throws Exception {
        List<Long> groups;
        try (ChildJvm child = ChildJvm.start(ClusterMain.class, folder.toString(), "2")) {
            groups = pgids(child.awaitLine("ready ", READY));
            child.process().destroyForcibly();
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isEqualTo(137);
        }
        for (long pgid : groups) {
            assertThat(Ps.liveInGroup(pgid)).as("nodes outlive a SIGKILLed JVM").contains(pgid);
        }
        assertThat(Files.readString(folder.resolve(".clstr/run/processes"))).contains("group " + groups.get(0));

        try (ProcessRuntime next = new ProcessRuntime(folder, null, "true", (n, l) -> {})) {
            for (long pgid : groups) {
                assertThat(Ps.liveInGroup(pgid)).isEmpty();
            }
            assertThat(Files.readString(next.runDir().resolve("processes")))
                    .contains("run " + next.runId())
                    .doesNotContain("\ngroup ");
        }
    }

    @Test
    void aRecordedGroupWithoutTheRunMarkerIsLeftAlone() throws Exception {
        Process stranger = new ProcessBuilder("setsid", "sleep", "300").start();
        try {
            long pgid = stranger.pid();
            assertThat(Fixture.eventually(
                            Duration.ofSeconds(10), () -> Ps.liveInGroup(pgid).contains(pgid)))
                    .isTrue();
            Path runDir = folder.resolve(".clstr/run");
            Files.createDirectories(runDir);
            Files.writeString(
                    runDir.resolve("processes"),
                    "run 11111111-2222-3333-4444-555555555555 1\n" + "group " + pgid
                            + " 11111111-2222-3333-4444-555555555555 n1\n");

            new ProcessRuntime(folder, null, "true", (n, l) -> {}).close();

            assertThat(stranger.isAlive())
                    .as("a recycled process group id must not be signalled")
                    .isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void sigtermOfTheJvmEndsItsNodesThroughTheShutdownHook() throws Exception {
        endsNodesOnSignal("TERM");
    }

    @Test
    void sigintOfTheJvmEndsItsNodesThroughTheShutdownHook() throws Exception {
        endsNodesOnSignal("INT");
    }

    private void endsNodesOnSignal(String signal) throws Exception {
        try (ChildJvm child = ChildJvm.start(ClusterMain.class, folder.toString(), "2")) {
            List<Long> groups = pgids(child.awaitLine("ready ", READY));

            child.signal(signal);
            child.awaitExit(Duration.ofSeconds(60));

            // the hook waits until the groups are gone before the JVM may exit
            for (long pgid : groups) {
                assertThat(Ps.liveInGroup(pgid)).isEmpty();
            }
            assertThat(folder.resolve(".clstr/run/processes")).doesNotExist();
        }
    }

    private static List<Long> pgids(String readyLine) {
        return Arrays.stream(readyLine.substring("ready ".length()).split(","))
                .map(Long::parseLong)
                .toList();
    }
}
