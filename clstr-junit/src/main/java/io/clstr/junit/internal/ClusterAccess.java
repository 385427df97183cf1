package io.clstr.junit.internal;

import io.clstr.junit.Cluster;
import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.internal.network.Fabric;
import java.util.Objects;

/**
 * How clstr's own code (the extension, the checks, the recording clients, clstr's tests) reaches a
 * cluster's plumbing — its run log, its network fabric, what the checks need — without
 * {@link Cluster} offering any of it to stage authors. {@link Cluster} registers its side when its
 * class is initialised.
 */
public final class ClusterAccess {

    /** Implemented by {@link Cluster} alone. */
    public interface Internals {
        CheckContext context(Cluster cluster);

        RunLog log(Cluster cluster);

        Fabric fabric(Cluster cluster);
    }

    private static volatile Internals internals;

    private ClusterAccess() {}

    /** Called once, by {@link Cluster}'s static initialiser. */
    public static void register(Internals implementation) {
        if (internals != null) {
            throw new IllegalStateException("the cluster's internals are registered already");
        }
        internals = Objects.requireNonNull(implementation, "implementation");
    }

    /** What checks and recording clients need of {@code cluster}: its nodes, HTTP client, timeout, run log. */
    public static CheckContext context(Cluster cluster) {
        return internals().context(cluster);
    }

    /** The run's log (timeline) of {@code cluster}. */
    public static RunLog log(Cluster cluster) {
        return internals().log(cluster);
    }

    /** The network fabric of {@code cluster}: its per-pair proxies and routes. */
    public static Fabric fabric(Cluster cluster) {
        return internals().fabric(cluster);
    }

    private static Internals internals() {
        Internals registered = internals;
        if (registered == null) {
            // a Cluster instance exists whenever this is called, so its class is initialised; this
            // only covers a caller holding no instance yet
            try {
                Class.forName(Cluster.class.getName(), true, Cluster.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            registered = internals;
        }
        return registered;
    }
}
