package io.clstr.junit.internal.docker;

import io.clstr.junit.Cluster;
import io.clstr.junit.internal.config.ClstrYaml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long a 5-node cluster of a challenge folder's server takes to start (until every node answers
 * {@code GET /health}) in the process runtime and in the docker runtime with the image cached, measured in
 * one JVM: a warm-up start of each (which builds what needs building), then rounds alternating the two.
 *
 * <pre>
 * # from the repository root (exec:java runs in Maven's JVM and working directory)
 * mvn -q -o -pl clstr-junit test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.clstr.junit.internal.docker.ClusterStartBenchmark -Dexec.args="reference/kv-store 5"
 * </pre>
 */
public final class ClusterStartBenchmark {
    private static final int NODES = 5;

    private ClusterStartBenchmark() {}

    public static void main(String[] args) {
        Path folder = Path.of(args.length > 0 ? args[0] : "reference/kv-store")
                .toAbsolutePath()
                .normalize();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ClstrYaml yaml = ClstrYaml.read(folder);
        List<Duration> process = new ArrayList<>();
        List<Duration> docker = new ArrayList<>();
        start(folder, yaml, Cluster.RuntimeKind.PROCESS);
        start(folder, yaml, Cluster.RuntimeKind.DOCKER);
        for (int round = 1; round <= rounds; round++) {
            process.add(start(folder, yaml, Cluster.RuntimeKind.PROCESS));
            docker.add(start(folder, yaml, Cluster.RuntimeKind.DOCKER));
            System.out.printf(
                    Locale.ROOT,
                    "round %d: process %.2f s, docker %.2f s%n",
                    round,
                    seconds(process.get(round - 1)),
                    seconds(docker.get(round - 1)));
        }
        System.out.printf(
                Locale.ROOT,
                "%d-node cluster start, median of %d: process %.2f s, docker %.2f s (%.1fx)%n",
                NODES,
                rounds,
                seconds(median(process)),
                seconds(median(docker)),
                seconds(median(docker)) / seconds(median(process)));
    }

    /** Starts and closes a cluster; returns the time until it was ready. */
    private static Duration start(Path folder, ClstrYaml yaml, Cluster.RuntimeKind runtime) {
        long begin = System.nanoTime();
        try (Cluster cluster = Cluster.builder(folder)
                .runtime(runtime)
                .nodes(NODES)
                .run(yaml.run())
                .build(yaml.build())
                .healthTimeout(Duration.ofSeconds(60))
                .start()) {
            return Duration.ofNanos(System.nanoTime() - begin);
        }
    }

    private static Duration median(List<Duration> values) {
        List<Duration> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
