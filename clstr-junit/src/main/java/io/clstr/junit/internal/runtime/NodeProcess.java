package io.clstr.junit.internal.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** One node as a runtime runs it. Methods block until the signal has been delivered. */
public interface NodeProcess {

    /** Base URI clients on this machine use; re-read after every start. */
    URI uri();

    /** Launches the node (does not wait for health). Throws {@link io.clstr.junit.ServerException} if it cannot. */
    void start();

    /**
     * Polls {@code GET /health} until it answers 200. Throws {@link io.clstr.junit.ServerException}
     * naming the node and quoting its last log lines on timeout or if the node exits.
     */
    void awaitHealthy(Duration timeout);

    /**
     * SIGTERM to the whole process group, then SIGCONT (a paused node wakes with the SIGTERM pending),
     * SIGKILL after {@code grace}; returns once every process of the group is gone.
     */
    void stop(Duration grace);

    /** SIGKILL (then SIGCONT) to the whole process group; returns once every process of the group is gone. */
    void kill();

    /**
     * Ends the node at the cluster's teardown, before the runtime closes: as {@link #kill()}, where a
     * runtime whose close ends every process of the run anyway may leave part of the work to it.
     */
    default void killAtTeardown() {
        kill();
    }

    /** SIGSTOP to the whole process group. */
    void pause();

    /** SIGCONT to the whole process group. */
    void resume();

    /** True while the node's main process runs. */
    boolean isAlive();

    /** The last {@code lines} lines of the node's output, across restarts. */
    List<String> logTail(int lines);
}
