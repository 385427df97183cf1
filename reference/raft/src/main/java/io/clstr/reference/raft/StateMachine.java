package io.clstr.reference.raft;

/**
 * What a {@link RaftNode} applies committed entries to, one at a time and in log order, on the
 * node's lock (so {@code apply} must not block). A leader's no-op entries are not passed on.
 */
public interface StateMachine {

    /**
     * Applies one committed entry; the result completes the proposer's future, if this node
     * proposed it. Applying must depend on nothing but the entry (its command and its stamp) and
     * the entries before it: every node applies the same log and must reach the same state.
     */
    Object apply(LogEntry entry);

    /**
     * Whether this machine can {@link #snapshot} and {@link #restore}; a node whose machine cannot
     * never compacts its log.
     */
    default boolean snapshots() {
        return false;
    }

    /**
     * The whole state as bytes, taken on the node's lock right after an entry was applied (so it
     * must not block); {@link #restore} of them on another node must give the same state.
     */
    default byte[] snapshot() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes no snapshots");
    }

    /** Replaces the whole state with one {@link #snapshot} returned, on the node's lock. */
    default void restore(byte[] snapshot) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes no snapshots");
    }
}
