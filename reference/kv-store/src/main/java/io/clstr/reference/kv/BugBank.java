package io.clstr.reference.kv;

import io.clstr.reference.raft.RaftBug;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which bug, if any, {@code REFERENCE_BUG} switched on. At most one is active. */
final class BugBank {

    /** Thrown for a {@code REFERENCE_BUG} value that names no bug. */
    static final class UnknownBugException extends Exception {
        UnknownBugException(String message) {
            super(message);
        }
    }

    private static final BugBank NONE = new BugBank(null);

    private final Bug active;

    private BugBank(Bug active) {
        this.active = active;
    }

    /** Parses a {@code REFERENCE_BUG} value; null or blank means no bug. */
    static BugBank parse(String name) throws UnknownBugException {
        if (name == null || name.isBlank()) {
            return NONE;
        }
        String wanted = name.trim();
        for (Bug bug : Bug.values()) {
            if (bug.key().equals(wanted)) {
                return new BugBank(bug);
            }
        }
        String known = Arrays.stream(Bug.values()).map(Bug::key).collect(Collectors.joining(", "));
        throw new UnknownBugException("REFERENCE_BUG '" + wanted + "' is not a known bug; known bugs: " + known);
    }

    boolean has(Bug bug) {
        return active == bug;
    }

    /** The bug to switch on in the Raft core, or null. */
    RaftBug raftBug() {
        return active == null ? null : active.raft();
    }

    Optional<Bug> active() {
        return Optional.ofNullable(active);
    }
}
