package io.clstr.junit.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.testnode.ChildJvm;
import io.clstr.junit.testnode.ClusterMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        String runId = "11111111-2222-3333-4444-555555555555";
        Process stranger = groupLeader(null);
        try {
            writeRunFile("run " + runId + " 1\n" + "group " + stranger.pid() + " " + runId + " n1\n");

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
    void aLineCutShortByACrashIsSkippedAndTheRunsProcessesStillEnd() throws Exception {
        String runId = "11111111-2222-3333-4444-666666666666";
        Process leftover = groupLeader(runId);
        try {
            long pgid = leftover.pid();
            writeRunFile("run " + runId + " 1\n" + "group " + pgid + " " + runId + " n1\n" + "ended " + pgid + "\n"
                    + "group 4");

            new ProcessRuntime(folder, null, "true", (n, l) -> {}).close();

            assertThat(leftover.waitFor(10, TimeUnit.SECONDS))
                    .as("the run's process, found by its marker")
                    .isTrue();
        } finally {
            leftover.destroyForcibly();
        }
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

    /** A {@code sleep} leading a process group of its own, as a node's shell does; marked as a run's when {@code runId} is given. */
    private static Process groupLeader(String runId) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("setsid", "sleep", "300");
        if (runId != null) {
            builder.environment().put(RunFile.RUN_ID_VARIABLE, runId);
        }
        Process leader = builder.start();
        long pgid = leader.pid();
        assertThat(Fixture.eventually(
                        Duration.ofSeconds(10), () -> Ps.liveInGroup(pgid).contains(pgid)))
                .isTrue();
        return leader;
    }

    private void writeRunFile(String text) throws Exception {
        Path runDir = folder.resolve(".clstr/run");
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("processes"), text);
    }

    private static List<Long> pgids(String readyLine) {
        return Arrays.stream(readyLine.substring("ready ".length()).split(","))
                .map(Long::parseLong)
                .toList();
    }
}
