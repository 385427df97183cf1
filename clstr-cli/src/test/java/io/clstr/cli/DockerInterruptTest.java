package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.cli.demo.DemoServer;
import io.clstr.junit.internal.docker.DockerEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link InterruptAnywhereTest} for the docker runtime: Ctrl-C at a random moment of the image build,
 * of the cluster's start (its first container up) and of a partition ends clstr within 10 s with
 * 130 and leaves no container, network or volume of the run (found by the owner label every
 * resource carries), no build container, and nothing in the run's temporary folder. Runs where a
 * Docker engine answers and the base image {@code clstr/java:17} is present (CI); once per phase,
 * or {@code -Dclstr.interrupts=N} times.
 */
class DockerInterruptTest {

    /** Where a run is interrupted. */
    enum Phase {
        IMAGE_BUILD("demo", "hello"),
        CLUSTER_START("demo", "hello"),
        PARTITION("demo-net", "partition");

        final String challenge;
        final String stage;

        Phase(String challenge, String stage) {
            this.challenge = challenge;
            this.stage = stage;
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(10);

    /** How long the engine may take to remove a cancelled build's container: its stop timeout and some. */
    private static final Duration BUILD_CLEANUP = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsDocker() {
        Assumptions.assumeTrue(DockerEngine.answers(), "no Docker engine answers here");
        Assumptions.assumeTrue(
                docker("image", "inspect", "clstr/java:17").exit == 0,
                "no clstr/java:17 base image (.ci/docker-images makes it)");
    }

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
        String marker = String.format(Locale.ROOT, "40.%09d", Math.abs((folder.toString() + which).hashCode()));
        writeFolder(folder, phase, marker);
        // outside the folder: the folder is the image's build context
        Path tmp = Files.createDirectories(folder.resolveSibling(folder.getFileName() + "-tmp"));
        Path log = folder.resolveSibling(folder.getFileName() + "-clstr.log");
        Process clstr = ChildClstr.start(folder, tmp, log);
        String owner = "/" + clstr.pid() + "/";
        String context = phase + " (" + which + ", " + delayMillis + " ms in)";
        try {
            BooleanSupplier started =
                    switch (phase) {
                        case IMAGE_BUILD -> () -> !buildContainers(marker).isEmpty();
                        case CLUSTER_START -> () -> !owned("ps", owner).isEmpty();
                        case PARTITION -> () -> Files.exists(folder.resolve("partitioned"));
                    };
            ChildClstr.await(started, Duration.ofSeconds(120), clstr, log, context);
            clstr.waitFor(delayMillis, TimeUnit.MILLISECONDS);
            new ProcessBuilder("kill", "-INT", Long.toString(clstr.pid()))
                    .start()
                    .waitFor();
            boolean ended = clstr.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            String output = Files.readString(log);
            assertThat(ended)
                    .as("%s: clstr ended within 10 s of Ctrl-C%n%s", context, output)
                    .isTrue();
            assertThat(clstr.exitValue())
                    .as("%s: exit code%n%s", context, output)
                    .isEqualTo(ExitCode.INTERRUPTED);
            assertThat(output).as(context).doesNotContain("\tat ");
            for (String kind : List.of("ps", "network", "volume")) {
                assertThat(owned(kind, owner))
                        .as("%s: the run's %s left", context, kind)
                        .isEmpty();
            }
            // The engine ends the build once clstr's connection is gone, and removes its container after
            // stopping it: a RUN step's shell ignores SIGTERM, so that takes the engine's 10 s stop timeout.
            long deadline = System.nanoTime() + BUILD_CLEANUP.toNanos();
            while (!buildContainers(marker).isEmpty() && System.nanoTime() < deadline) {
                clstr.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertThat(buildContainers(marker))
                    .as("%s: build containers left 20 s after clstr ended", context)
                    .isEmpty();
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.map(p -> tmp.relativize(p).toString()).filter(n -> !n.equals("clstr-ports")))
                        .as("%s: left in the run's temporary folder", context)
                        .isEmpty();
            }
        } finally {
            clstr.descendants().forEach(ProcessHandle::destroyForcibly);
            clstr.destroyForcibly();
        }
    }

    /** A docker-runtime folder of {@code phase}'s challenge whose image runs the demo server from its classes. */
    private static void writeFolder(Path folder, Phase phase, String marker) throws IOException {
        Path classes = Files.createDirectories(folder.resolve("classes/io/clstr/cli/demo"));
        Path built = DemoFolder.testClasses().resolve("io/clstr/cli/demo");
        try (Stream<Path> files = Files.list(built)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith(DemoServer.class.getSimpleName())) {
                    Files.copy(f, classes.resolve(f.getFileName()));
                }
            }
        }
        String slowStep = phase == Phase.IMAGE_BUILD ? "RUN sleep " + marker + "\n" : "";
        Files.writeString(
                folder.resolve("Dockerfile"),
                "FROM clstr/java:17\n" + slowStep + "COPY classes/ /app/\n"
                        + "CMD [\"java\", \"-XX:+UseSerialGC\", \"-Xmx48m\", \"-cp\", \"/app\", \""
                        + DemoServer.class.getName() + "\"]\n",
                StandardCharsets.UTF_8);
        Files.writeString(
                folder.resolve("clstr.yaml"),
                "challenge: " + phase.challenge + "\nstage: " + phase.stage + "\nruntime: docker\n",
                StandardCharsets.UTF_8);
    }

    /** The ids of the containers, networks or volumes ({@code kind}) whose owner label names {@code owner}'s process. */
    private static List<String> owned(String kind, String owner) {
        List<String> args = kind.equals("ps")
                ? List.of(
                        "ps",
                        "-a",
                        "--filter",
                        "label=io.clstr.owner",
                        "--format",
                        "{{.Label \"io.clstr.owner\"}} {{.Names}}")
                : List.of(
                        kind,
                        "ls",
                        "--filter",
                        "label=io.clstr.owner",
                        "--format",
                        "{{.Label \"io.clstr.owner\"}} {{.Name}}");
        return docker(args.toArray(String[]::new)).lines.stream()
                .filter(l -> l.contains(owner))
                .toList();
    }

    /** The containers running the build step marked with {@code marker}. */
    private static List<String> buildContainers(String marker) {
        return docker("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Command}}").lines.stream()
                .filter(l -> l.contains(marker))
                .toList();
    }

    private record Result(int exit, List<String> lines) {}

    private static Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return new Result(
                    p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
        } catch (IOException e) {
            return new Result(-1, List.of(e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, List.of());
        }
    }
}
