package io.clstr.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.stages.FailingStage;
import io.clstr.junit.stages.HangingStage;
import io.clstr.junit.stages.StageMain;
import io.clstr.junit.stages.TwoNodeStage;
import io.clstr.junit.testnode.ChildJvm;
import io.clstr.junit.testnode.TestNodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a test JVM leaves behind when it ends: nothing, whether its stage passed, failed or it was
 * stopped with SIGINT; and after SIGKILL, the next run ends the survivors.
 */
class JvmEndTest {
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path folder;

    private ChildJvm stage(Class<?> stageClass) throws IOException {
        return ChildJvm.start(StageMain.class, stageClass.getName(), folder.toString());
    }

    /** Processes (not zombies) whose environment gives them a data folder of this test's challenge folder. */
    private List<Long> nodeProcesses() throws IOException {
        List<Long> found = new ArrayList<>();
        String marker = "DATA_DIR=" + folder.resolve(".clstr");
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                    if (Arrays.stream(env.split("\0")).anyMatch(v -> v.startsWith(marker))
                            && Processes.isRunning(Long.parseLong(name))) {
                        found.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // ended while we looked, or not ours to read
                }
            }
        }
        return found;
    }

    private static boolean listening(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(
                            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                    500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void passingAndFailingRunsLeaveNothing() throws Exception {
        try (ChildJvm jvm = stage(TwoNodeStage.class)) {
            jvm.awaitLine("PASSED", STARTUP);
            assertThat(jvm.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(nodeProcesses()).isEmpty();
        try (ChildJvm jvm = stage(FailingStage.class)) {
            jvm.awaitLine("FAILED", STARTUP);
            assertThat(jvm.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
        }
        assertThat(nodeProcesses()).isEmpty();
    }

    @Test
    void sigintEndsNodesAndProxies() throws Exception {
        List<String> routes;
        try (ChildJvm jvm = stage(HangingStage.class)) {
            routes = List.of(jvm.awaitLine("HANGING ", STARTUP)
                    .substring("HANGING ".length())
                    .split(","));
            assertThat(nodeProcesses()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(routes).hasSize(2).allMatch(JvmEndTest::listening);
            jvm.signal("INT");
            jvm.awaitExit(Duration.ofSeconds(30));
        }
        assertThat(nodeProcesses()).isEmpty();
        assertThat(routes).noneMatch(JvmEndTest::listening);
    }

    @Test
    void afterSigkillTheNextRunEndsTheSurvivors() throws Exception {
        try (ChildJvm jvm = stage(HangingStage.class)) {
            jvm.awaitLine("HANGING ", STARTUP);
            jvm.signal("KILL");
            jvm.awaitExit(Duration.ofSeconds(30));
        }
        List<Long> survivors = nodeProcesses();
        assertThat(survivors).as("SIGKILL gives the JVM no chance to clean up").hasSizeGreaterThanOrEqualTo(2);
        try (Cluster next = Cluster.builder(folder)
                .nodes(1)
                .run(TestNodes.command())
                .healthTimeout(Duration.ofSeconds(60))
                .start()) {
            assertThat(survivors).noneMatch(Processes::isRunning);
            assertThat(nodeProcesses()).isNotEmpty().doesNotContainAnyElementsOf(survivors);
        }
        assertThat(nodeProcesses()).isEmpty();
    }
}
