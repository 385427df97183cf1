package io.clstr.junit.check;

import io.clstr.junit.internal.Text;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * When a check is judged: once; eventually (polls until an attempt passes, or fails with the
 * last attempt once the duration is over); or consistently (polls until an attempt that
 * started at the end of the duration passes, failing at the first attempt that does not).
 * The polling itself is {@link Poll}'s.
 */
record Timing(Mode mode, Duration duration) {

    enum Mode {
        IMMEDIATE,
        EVENTUALLY,
        CONSISTENTLY
    }

    static final Timing IMMEDIATE = new Timing(Mode.IMMEDIATE, Duration.ZERO);

    /** The deciding attempt, how many were made, and for a failure the line that says when. */
    record Outcome(Attempt attempt, int attempts, String note) {}

    Timing {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
    }

    Outcome run(Supplier<Attempt> attempts, Duration interval, Supplier<String> what) {
        if (mode == Mode.IMMEDIATE) {
            return new Outcome(attempts.get(), 1, null);
        }
        Poll poll = Poll.every(interval).describedAs((mode == Mode.EVENTUALLY ? "until " : "throughout ") + what.get());
        if (mode == Mode.EVENTUALLY) {
            Poll.Outcome<Attempt> o = poll.eventually(duration, attempts, Attempt::passed);
            return new Outcome(
                    o.last(),
                    o.polls(),
                    o.held()
                            ? null
                            : "Still failing after " + Text.seconds(duration) + " (" + o.polls()
                                    + (o.polls() == 1 ? " attempt" : " attempts") + "); the last attempt is shown.");
        }
        Poll.Outcome<Attempt> o = poll.consistently(duration, attempts, Attempt::passed);
        return new Outcome(
                o.last(),
                o.polls(),
                o.held()
                        ? null
                        : "Failed after " + Text.seconds(o.elapsed()) + " of the " + Text.seconds(duration)
                                + " it must hold (attempt " + o.polls() + ").");
    }
}
