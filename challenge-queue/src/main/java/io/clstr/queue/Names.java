package io.clstr.queue;

import io.clstr.junit.Cluster;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.util.List;
import java.util.Locale;

/** Queue names and bodies for the stages: each test uses queues of its own, named from the cluster's seed. */
final class Names {

    private Names() {}

    /** {@code prefix-3f9a1c}: a queue no other test uses. */
    static String queue(Cluster cluster, String prefix) {
        return prefix + "-" + token(cluster);
    }

    /** Six hex digits from the cluster's seed. */
    static String token(Cluster cluster) {
        return String.format(Locale.ROOT, "%06x", cluster.random().nextInt(1 << 24));
    }

    /** The bodies of {@code deliveries}, in order. */
    static List<String> bodies(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::body).toList();
    }
}
