package io.clstr.reference.raft;

/**
 * The state machine's state after applying every entry through {@code index} (Raft §7): what a
 * compacted log starts after, what a restart loads first, and what InstallSnapshot carries.
 *
 * @param index  the last included index (0 for no snapshot)
 * @param term   the term of the entry at {@code index}, so the log can still answer for it
 * @param stamp  that entry's stamp, so new entries are never stamped before it
 * @param config the cluster configuration at {@code index} as opaque JSON, or null (membership
 *               changes will fill it; see {@code RaftNode.snapshotConfig})
 * @param data   the state machine's own encoding of its state; callers must not modify it
 */
record Snapshot(long index, long term, long stamp, String config, byte[] data) {

    /** No snapshot: the log starts at index 1, after the empty prefix of term 0. */
    static final Snapshot NONE = new Snapshot(0, 0, 0, null, new byte[0]);

    Snapshot {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException(
                    "a snapshot's index and term cannot be negative: " + index + ", " + term);
        }
        if (data == null) {
            throw new IllegalArgumentException("a snapshot needs data");
        }
    }

    boolean isNone() {
        return index == 0;
    }

    @Override
    public String toString() {
        return "snapshot through " + index + " (term " + term + ", " + data.length + " bytes)";
    }
}
