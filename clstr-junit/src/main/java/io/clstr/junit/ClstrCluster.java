package io.clstr.junit;

import io.clstr.junit.internal.ClstrExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the learner's server as a cluster for the annotated test class: the nodes start
 * (and become healthy) before the first test, {@link Cluster} and {@link Node} parameters
 * are injected, and everything is torn down after the last test, on failure and on JVM
 * shutdown too.
 *
 * <p>Like the cluster, one instance of the class serves all its tests (JUnit's {@code PER_CLASS}
 * lifecycle): a field set in one test is there in the next, as the cluster's state is. A class that
 * wants an instance per test says so with its own {@code @TestInstance(PER_METHOD)}. (One instance
 * also spares JUnit creating and preparing one per test, a millisecond or so each in a cold JVM.)
 *
 * <pre>{@code
 * @ClstrCluster(nodes = 5)
 * @Stage(key = "leader-election", title = "Cluster Elects and Maintains Leader")
 * class LeaderElection { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ClstrExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public @interface ClstrCluster {

    /** Number of nodes started at the beginning ({@code n1}…): the initial members. */
    int nodes() default 1;

    /** Extra nodes that are not started and not in anyone's {@code PEERS}, reachable through {@code ROUTES}. */
    int spares() default 0;

    /** Timeout of every request a check sends, in milliseconds (clstr.io: 500; 1000 with restarts). */
    long requestTimeoutMillis() default 500;

    /** How long faults settle after a partition, cut or heal before checks run, in milliseconds. */
    long settleMillis() default 3000;

    /** How long a starting node may take to answer {@code GET /health} with 200, in milliseconds. */
    long healthTimeoutMillis() default 10_000;
}
