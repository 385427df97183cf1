package io.clstr.cli.demo;

import io.clstr.junit.Challenge;
import java.util.List;

/** A one-stage challenge of three nodes with a partition, for the CLI's interruption tests. */
public final class NetChallenge implements Challenge {

    @Override
    public String key() {
        return "demo-net";
    }

    @Override
    public String name() {
        return "Demo Partitioned Cluster";
    }

    @Override
    public String summary() {
        return "Three demo servers, one of them cut off from the others.";
    }

    @Override
    public List<Class<?>> stages() {
        return List.of(PartitionStage.class);
    }
}
