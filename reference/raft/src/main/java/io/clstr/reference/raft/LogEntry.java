package io.clstr.reference.raft;

/**
 * One entry of the Raft log: its position, the term of the leader that created it, the time that
 * leader gave it, and its command (empty for a new leader's no-op).
 *
 * @param stamp   milliseconds of the proposing leader's wall clock, never lower than the stamp of
 *                the entry before it: the only time a state machine may use when applying
 * @param command the state machine's encoding of the change; callers must not modify it
 */
public record LogEntry(long index, long term, long stamp, byte[] command) {

    private static final byte[] EMPTY = new byte[0];

    /** A new leader's no-op, which makes entries of earlier terms commit (Raft §5.4.2, §8). */
    static LogEntry noop(long index, long term, long stamp) {
        return new LogEntry(index, term, stamp, EMPTY);
    }

    public boolean isNoop() {
        return command.length == 0;
    }
}
