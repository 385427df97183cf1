package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ctrl-C at a random moment of each phase of a run (the build, the wait for the nodes' health, a
 * test, a partition) ends clstr within 10 s with exit code 130 and leaves nothing behind: no node
 * or build process, no listener on the cluster's ports, nothing in its temporary folder but port
 * locks nobody holds. Each phase runs once by default; {@code -Dclstr.interrupts=20} runs it 20
 * times (the reliability loop of issue 14), each at another moment.
 */
class InterruptAnywhereTest {

    /** Where a run is interrupted: what clstr.yaml asks for, and the file that says the phase began. */
    enum Phase {
        BUILD("demo", "hello", "build: touch started && sleep %s\n"),
        HEALTH_WAIT("demo", "hello", "env:\n  DEMO_HEALTH: never\n  DEMO_PID_FILE: started\n"),
        TEST("demo", "hello", "env:\n  DEMO_SLOW_HELLO: \"60\"\n  DEMO_PID_FILE: started\n"),
        PARTITION("demo-net", "partition", "");

        final String challenge;
        final String stage;
        final String yaml;

        Phase(String challenge, String stage, String yaml) {
            this.challenge = challenge;
            this.stage = stage;
            this.yaml = yaml;
        }

        /** The file whose appearance means the phase is under way. */
        String startedFile() {
            return this == PARTITION ? "partitioned" : "started";
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Phase.class)
    void ctrlCEndsTheRunWithin10sAndLeavesNothing(Phase phase) throws Exception {
        int runs = Integer.getInteger("clstr.interrupts", 1);
        long seed = Long.getLong("clstr.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int run = 1; run <= runs; run++) {
            interruptOnce(phase, dir.resolve("run-" + run), random.nextInt(800), "seed " + seed + ", run " + run);
        }
    }

    private static void interruptOnce(Phase phase, Path folder, int delayMillis, String which) throws Exception {
        // a sleep with a duration of its own (GNU sleep takes fractions) marks the build's process
        String buildMarker = String.format(Locale.ROOT, "30.%09d", Math.abs(folder.hashCode()));
        DemoFolder demo =
                DemoFolder.create(folder, phase.challenge, phase.stage, String.format(phase.yaml, buildMarker));
        Path tmp = Files.createDirectories(folder.resolve("tmp"));
        Path log = folder.resolve("clstr.log");
        Process clstr = ChildClstr.start(folder, tmp, log);
        String context = phase + " (" + which + ", " + delayMillis + " ms in)";
        try {
            Path started = folder.resolve(phase.startedFile());
            ChildClstr.await(() -> Files.exists(started), Duration.ofSeconds(60), clstr, log, context);
            clstr.waitFor(delayMillis, TimeUnit.MILLISECONDS);
            long sent = System.nanoTime();
            new ProcessBuilder("kill", "-INT", Long.toString(clstr.pid()))
                    .start()
                    .waitFor();
            boolean ended = clstr.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            long tookMillis = (System.nanoTime() - sent) / 1_000_000;
            String output = Files.readString(log);
            assertThat(ended)
                    .as("%s: clstr ended within 10 s of Ctrl-C%n%s", context, output)
                    .isTrue();
            assertThat(clstr.exitValue())
                    .as("%s: exit code after %d ms%n%s", context, tookMillis, output)
                    .isEqualTo(ExitCode.INTERRUPTED);
            assertThat(output).as(context).doesNotContain("\tat ");
            demo.assertNothingRunning();
            assertThat(ProcessHandle.allProcesses()
                            .filter(p -> p.info().commandLine().orElse("").contains(buildMarker)))
                    .as("%s: the build's processes", context)
                    .isEmpty();
            Path nodes = folder.resolve(".clstr/logs/" + phase.stage + "/nodes.json");
            if (phase != Phase.BUILD) {
                assertThat(nodes).as("%s: the cluster had started", context).exists();
            }
            assertThat(listening(nodes))
                    .as("%s: the cluster's ports still accepting connections", context)
                    .isEmpty();
            assertThat(leftInTmp(tmp))
                    .as("%s: left in the run's temporary folder", context)
                    .isEmpty();
        } finally {
            clstr.descendants().forEach(ProcessHandle::destroyForcibly);
            clstr.destroyForcibly();
        }
    }

    /** The node and proxy addresses of {@code nodesJson} (if the run got that far) that still accept a connection. */
    private static List<String> listening(Path nodesJson) throws IOException {
        List<String> open = new ArrayList<>();
        if (!Files.exists(nodesJson)) {
            return open;
        }
        List<String> addrs = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(nodesJson.toFile())) {
            addrs.add(node.path("addr").asText());
            node.path("routes").forEach(route -> addrs.add(route.asText()));
        }
        for (String addr : addrs) {
            int colon = addr.lastIndexOf(':');
            try (Socket socket = new Socket()) {
                socket.connect(
                        new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1))),
                        500);
                open.add(addr);
            } catch (ConnectException expected) {
                // nothing listens: as it should be
            }
        }
        return open;
    }

    /** What the run left in its temporary folder, apart from port lock files no one holds. */
    private static List<String> leftInTmp(Path tmp) throws IOException {
        List<String> left = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.equals(tmp) || file.equals(tmp.resolve("clstr-ports"))) {
                    continue;
                }
                boolean portLock = file.getParent().equals(tmp.resolve("clstr-ports"))
                        && file.getFileName().toString().endsWith(".lock");
                if (!portLock) {
                    left.add(tmp.relativize(file).toString());
                    continue;
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
                        FileLock lock = channel.tryLock()) {
                    if (lock == null) {
                        left.add(tmp.relativize(file) + " (still locked)");
                    }
                }
            }
        }
        return left;
    }
}
