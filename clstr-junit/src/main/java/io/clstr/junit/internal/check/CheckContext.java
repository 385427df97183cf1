package io.clstr.junit.internal.check;

import io.clstr.junit.Node;
import java.time.Duration;
import java.util.List;

/**
 * What HTTP checks need from the cluster under test; the cluster implements it.
 */
public interface CheckContext {

    /** Every node of the cluster, in node order, whatever its state. */
    List<? extends Node> nodes();

    /** The shared HTTP client. */
    Http http();

    /** Records a cluster event on the run's timeline, such as {@code CONCURRENTLY: ...}. */
    void event(String text);

    /** The stage's per-request timeout, used when a check or request sets none. */
    Duration requestTimeout();

    /** How long {@code eventually} and {@code consistently} wait between attempts. */
    default Duration pollInterval() {
        return Duration.ofMillis(100);
    }
}
