package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;

/**
 * The leader, as {@code GET /cluster/info} tells it: awaited for 3 s, three of the longest
 * election timeouts. The challenge starts from a working Raft store, so a missing leader is the
 * store's fault, said once here.
 */
final class Leaders {

    static final Duration WINDOW = Duration.ofSeconds(3);

    private static final String[] CAUSES = {
        "This challenge starts from the kv-store's Raft cluster: elect a leader as in its leader-election stage.",
        "Answer GET /cluster/info with {\"id\", \"role\", \"term\", \"leader\", \"peers\"}, id being your ADDR."
    };

    private Leaders() {}

    /** The leader every live node names, with its term. */
    static Leader agreed(Cluster cluster) {
        return RaftView.awaitAgreement(
                cluster, WINDOW, "The live nodes did not agree on one leader within 3 s.", CAUSES);
    }

    /** The node of the others that leads in a term above {@code old}'s, once {@code old} was killed or cut off. */
    static Leader after(Cluster cluster, Leader old) {
        return RaftView.electedAfter(cluster, old, cluster.othersThan(old.node()), WINDOW, CAUSES);
    }
}
