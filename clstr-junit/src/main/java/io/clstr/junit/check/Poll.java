package io.clstr.junit.check;

import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.Progress;
import io.clstr.junit.internal.timing.Ledger;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls any property of the cluster over a window, for properties that span many answers or many
 * rounds (one leader per term, logs that agree) where one {@link HttpCheck} does not fit. The
 * HTTP checks' own {@code eventually} and {@code consistently} run on the same loop.
 *
 * <pre>{@code
 * Poll.Outcome<List<Response>> agreed = Poll.every(Duration.ofMillis(100))
 *         .eventually(Duration.ofSeconds(3), () -> cluster.ask(cluster.live(), INFO), answers -> agree(answers));
 * Poll.every(Duration.ofMillis(50)).sample(Duration.ofSeconds(3), () -> ledger.record(cluster.ask(...)));
 * }</pre>
 *
 * Rounds run one after another in the caller's thread, {@code interval} apart (from the end of one
 * to the start of the next), on the monotonic clock: eventually gives up after the first round that
 * ends once the window is over; consistently holds when every round up to one started once the
 * window is over held. An interrupted poll re-sets the interrupt flag and throws
 * {@link java.util.concurrent.CancellationException}.
 */
public final class Poll {

    /** The interval of {@link #every(Duration)} the checks use: 100 ms. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    private final Duration interval;
    private final String what;

    private Poll(Duration interval, String what) {
        this.interval = interval;
        this.what = what;
    }

    /** The same polling, described as {@code what} where the run's progress is shown (a live terminal line). */
    public Poll describedAs(String what) {
        return new Poll(interval, Objects.requireNonNull(what, "what"));
    }

    /** Polls {@code interval} apart. */
    public static Poll every(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("poll interval must not be negative, was " + interval);
        }
        return new Poll(interval, null);
    }

    /**
     * How a poll ended.
     *
     * @param held    whether the property held: at some round for eventually, at every round for
     *                consistently
     * @param last    the deciding observation: the first that held (eventually), the first that did
     *                not (consistently), otherwise the last one made
     * @param polls   how many rounds ran
     * @param elapsed from the start of the first round to the end of the deciding one
     */
    public record Outcome<T>(boolean held, T last, int polls, Duration elapsed) {}

    /** Observes until {@code holds} accepts an observation, for at most {@code within}. */
    public <T> Outcome<T> eventually(Duration within, Supplier<? extends T> observe, Predicate<? super T> holds) {
        return run(true, within, observe, holds);
    }

    /**
     * Observes for {@code window} and stops at the first observation {@code holds} rejects (the
     * property must hold throughout).
     */
    public <T> Outcome<T> consistently(Duration window, Supplier<? extends T> observe, Predicate<? super T> holds) {
        return run(false, window, observe, holds);
    }

    /**
     * Runs {@code round} every interval during {@code window}; a round fails by throwing (an
     * {@link AssertionError}, for example one built with {@link Failure}), which ends the sampling
     * and reaches the caller.
     */
    public void sample(Duration window, Runnable round) {
        run(
                false,
                window,
                () -> {
                    round.run();
                    return Boolean.TRUE;
                },
                held -> true);
    }

    private <T> Outcome<T> run(
            boolean eventually, Duration window, Supplier<? extends T> observe, Predicate<? super T> holds) {
        Objects.requireNonNull(window, "window");
        long start = System.nanoTime();
        Deadline deadline = Deadline.in(window);
        try (Progress.Handle waiting = Progress.waiting(
                        what != null
                                ? what
                                : eventually ? "a property to hold" : "a window in which a property must hold",
                        window);
                Ledger.Span timed = Ledger.waiting(Ledger.Wait.WINDOW)) {
            return poll(eventually, start, deadline, observe, holds);
        }
    }

    private <T> Outcome<T> poll(
            boolean eventually,
            long start,
            Deadline deadline,
            Supplier<? extends T> observe,
            Predicate<? super T> holds) {
        for (int polls = 1; ; polls++) {
            boolean startedAfterWindow = deadline.passed();
            T observed = observe.get();
            boolean held = holds.test(observed);
            // eventually: decided by a round that held, or by the first round that ended after the window;
            // consistently: by a round that did not hold, or by one that started after the window
            boolean decided = eventually ? held || deadline.passed() : !held || startedAfterWindow;
            if (decided) {
                return new Outcome<>(held, observed, polls, Duration.ofNanos(System.nanoTime() - start));
            }
            deadline.pause(interval, eventually ? "a property to hold" : "the end of a window a property must hold");
        }
    }
}
