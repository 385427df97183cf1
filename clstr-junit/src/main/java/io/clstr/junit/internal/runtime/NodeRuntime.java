package io.clstr.junit.internal.runtime;

/**
 * Starts and signals the nodes of one cluster: local processes or Docker containers.
 * {@link #close()} ends everything the runtime started and is idempotent.
 */
public interface NodeRuntime extends AutoCloseable {

    /** {@code process} or {@code docker}. */
    String name();

    /** Builds the learner's server once per run (build command or image); a failure throws {@link io.clstr.junit.ServerException}. */
    void build();

    /** Creates a node that has not started yet. */
    NodeProcess create(NodeSpec spec);

    @Override
    void close();
}
