package io.clstr.reference.raft;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The one bug of {@code B} switched on for this run ({@code REFERENCE_BUG}), if any. */
public final class BugSwitch<B extends Enum<B> & ReferenceBug> {

    private final B active;

    private BugSwitch(B active) {
        this.active = active;
    }

    /** No bug. */
    public static <B extends Enum<B> & ReferenceBug> BugSwitch<B> none() {
        return new BugSwitch<>(null);
    }

    /** {@code bug} switched on. */
    public static <B extends Enum<B> & ReferenceBug> BugSwitch<B> of(B bug) {
        return new BugSwitch<>(bug);
    }

    /**
     * From a {@code REFERENCE_BUG} value: empty or unset means none.
     *
     * @throws IllegalArgumentException naming the known bugs, when {@code value} is none of them
     */
    public static <B extends Enum<B> & ReferenceBug> BugSwitch<B> parse(Class<B> bugs, String value) {
        if (value == null || value.isBlank()) {
            return none();
        }
        String key = value.trim();
        B[] all = bugs.getEnumConstants();
        return Arrays.stream(all)
                .filter(b -> b.key().equals(key))
                .findFirst()
                .map(BugSwitch::of)
                .orElseThrow(() -> new IllegalArgumentException("REFERENCE_BUG=" + key
                        + " is not a bug of this reference; bugs are "
                        + Arrays.stream(all).map(ReferenceBug::key).collect(Collectors.joining(", "))));
    }

    /** Whether {@code bug} is the one switched on. */
    public boolean on(B bug) {
        return active == bug;
    }

    /** The bug switched on, if any. */
    public Optional<B> active() {
        return Optional.ofNullable(active);
    }

    /** The switch in the shared Raft core that the active bug needs, or null. */
    public RaftBug raftBug() {
        return active == null ? null : active.raft();
    }
}
