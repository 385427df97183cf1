package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.List;

/**
 * The fault schedule of the chaos tests: a few seconds of calm, the leader killed and restarted, the
 * new leader cut off alone and healed, then calm until the end; the workload runs throughout.
 */
final class Chaos {

    private Chaos() {}

    /** Runs the schedule over about {@code length} (at least the time its faults take). */
    static void run(Cluster cluster, Duration length) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        cluster.hold(Duration.ofSeconds(2), "calm before the faults");
        Leader crashed = RaftView.awaitLeader(cluster);
        cluster.kill(crashed.node());
        RaftView.awaitNewLeader(cluster, crashed);
        cluster.start(crashed.node());
        cluster.hold(Duration.ofSeconds(2), "calm between the faults");
        Leader alone = RaftView.awaitLeader(cluster);
        List<Node> others = cluster.othersThan(alone.node());
        cluster.partitionNow(List.of(alone.node()), others);
        RaftView.awaitNewLeader(cluster, alone);
        cluster.hold(Duration.ofSeconds(2), "the partition to last");
        cluster.heal();
        cluster.hold(Duration.ofNanos(end - System.nanoTime()), "calm after the faults");
    }
}
