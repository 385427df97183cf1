package io.clstr.junit;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * One node of a cluster under test: the learner's server, started by a runtime.
 *
 * <p>Lifecycle methods block until the change is done: {@link #start()} and
 * {@link #restart(Restart)} wait for {@code GET /health} to answer 200.
 */
public interface Node {

    /** The node's name, {@code n1} … {@code nN}. */
    String name();

    /** The node's 1-based number: {@code n3} is 3. */
    int number();

    /** The node's identity as the node sees it ({@code ADDR}): votes, leader ids and redirects use it. */
    String addr();

    /** Base URI a client on this machine uses to reach the node, such as {@code http://127.0.0.1:20001}. */
    URI uri();

    /** The node's data directory on this machine (survives restarts within a stage). */
    Path dataDir();

    /** What the node is doing now. */
    NodeState state();

    /** Starts a stopped or killed node with the same identity, port and data, and waits for health. */
    void start();

    /** Graceful stop: SIGTERM to the node's process group, SIGKILL after the grace period. */
    void stop();

    /** Crash: SIGKILL to the node's process group. */
    void kill();

    /** Stop (gracefully or not) then start again, waiting for health. */
    void restart(Restart how);

    /** SIGSTOP: the node keeps its sockets but answers nothing. */
    void pause();

    /** SIGCONT after {@link #pause()}. */
    void resume();

    /** The last {@code lines} lines the node printed (stdout and stderr interleaved). */
    List<String> logTail(int lines);

    /** How a restart ends the running node. */
    enum Restart {
        /** SIGTERM, SIGKILL after the grace period. */
        STOP,
        /** SIGKILL. */
        KILL
    }
}
