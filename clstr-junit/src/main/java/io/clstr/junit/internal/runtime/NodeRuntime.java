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

    /**
     * Ends whatever the nodes left running outside what {@link NodeProcess#kill()} reaches, once every node
     * has ended; {@link #close()} does it too. Nothing to do where ending a node ends all of it (a container).
     */
    default void sweep() {}

    @Override
    void close();
}
