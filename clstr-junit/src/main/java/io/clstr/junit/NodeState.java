package io.clstr.junit;

/** Lifecycle state of a {@link Node}. */
public enum NodeState {
    /** Never started in this stage (a spare). */
    NEW,
    /** Started and healthy. */
    RUNNING,
    /** Stopped with SIGSTOP; counts as live for checks (and will time out). */
    PAUSED,
    /** Ended gracefully. */
    STOPPED,
    /** Ended with SIGKILL, or died on its own. */
    KILLED;

    /** True when the node has a process (running or paused). */
    public boolean isLive() {
        return this == RUNNING || this == PAUSED;
    }
}
