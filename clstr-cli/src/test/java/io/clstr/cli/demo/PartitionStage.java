package io.clstr.cli.demo;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three demo nodes, n1 cut off from the others for a minute while it keeps answering: a stage to
 * interrupt during a partition. It writes {@code partitioned} in the working directory (the
 * challenge folder) once the partition is in place.
 */
@ClstrCluster(nodes = 3)
@Stage(key = "partition", title = "A Partition Holds")
public class PartitionStage {

    @Test
    @DisplayName("n1 Answers While Cut Off")
    void n1AnswersWhileCutOff(Cluster cluster) throws IOException {
        cluster.partitionNow(List.of(cluster.node(1)), List.of(cluster.node(2), cluster.node(3)));
        Files.writeString(Path.of("partitioned"), "yes");
        cluster.get(node(cluster.node(1)), "/hello")
                .status(200)
                .consistently(Duration.ofSeconds(60))
                .hint("n1 answers /hello while cut off.")
                .check();
    }
}
