package io.clstr.junit.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the run is waiting for right now, and for how long it may wait: a check's eventually or
 * consistently window, a settle time, a node's health wait. The CLI shows it on a live line of a
 * terminal; nothing else reads it. The innermost wait wins; a wait that ends restores the one it
 * interrupted.
 */
public final class Progress {

    /**
     * One wait.
     *
     * @param what        what is awaited, in words
     * @param startNanos  when it started ({@link System#nanoTime()})
     * @param window      how long it may last
     */
    public record Wait(String what, long startNanos, Duration window) {

        /** How long it has lasted. */
        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }

    /** Ends a wait. */
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    private static final AtomicReference<Wait> CURRENT = new AtomicReference<>();

    private Progress() {}

    /** Marks a wait for {@code what} of at most {@code window}; close the handle when it ends. */
    public static Handle waiting(String what, Duration window) {
        Wait wait = new Wait(what, System.nanoTime(), window);
        Wait interrupted = CURRENT.getAndSet(wait);
        return () -> CURRENT.compareAndSet(wait, interrupted);
    }

    /** The wait in progress, if any. */
    public static Optional<Wait> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
