package io.clstr.reference.lock;

import io.clstr.reference.raft.RaftBug;
import java.util.Optional;

/** The bug switched on for this run ({@code REFERENCE_BUG}), if any. */
final class Bugs {

    private final Bug active;

    private Bugs(Bug active) {
        this.active = active;
    }

    static Bugs none() {
        return new Bugs(null);
    }

    static Bugs of(Bug bug) {
        return new Bugs(bug);
    }

    /** From {@code REFERENCE_BUG}: empty or unset means none; an unknown name throws. */
    static Bugs parse(String value) {
        return value == null || value.isBlank() ? none() : new Bugs(Bug.of(value.trim()));
    }

    /** The switch in the shared Raft core that the active bug needs, or null. */
    RaftBug raftBug() {
        return active == null ? null : active.raft();
    }

    boolean on(Bug bug) {
        return active == bug;
    }

    Optional<Bug> active() {
        return Optional.ofNullable(active);
    }
}
