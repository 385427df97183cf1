package io.clstr.lock;

import io.clstr.junit.Cluster;
import java.util.Locale;

/** Key, lease and lock names for the stages: each test uses names of its own, made from the cluster's seed. */
final class Names {

    private Names() {}

    /** {@code prefix-3f9a1c}: a name no other test uses. */
    static String of(Cluster cluster, String prefix) {
        return prefix + "-"
                + String.format(Locale.ROOT, "%06x", cluster.random().nextInt(1 << 24));
    }
}
