package io.clstr.junit.internal;

import java.time.Duration;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What the run is waiting for right now, and for how long it may wait: a check's eventually or
 * consistently window, a settle time, a node's health wait; or work of no known length that tells
 * what it is doing, such as an image build and its latest output line. The CLI shows it on a live
 * line of a terminal; nothing else reads it. The innermost (latest started) wait wins; a wait that
 * ends restores the one it interrupted, if that one has not ended meanwhile.
 */
public final class Progress {

    /** One wait, or one piece of work of no known length. */
    public static final class Wait {
        private final String what;
        private final long startNanos;
        private final Duration window;
        private volatile String latest;

        /**
         * @param what       what is awaited (or done), in words
         * @param startNanos when it started ({@link System#nanoTime()})
         * @param window     how long it may last; null when that is not known
         */
        public Wait(String what, long startNanos, Duration window) {
            this.what = Objects.requireNonNull(what, "what");
            this.startNanos = startNanos;
            this.window = window;
        }

        /** What is awaited, in words. */
        public String what() {
            return what;
        }

        /** How long it may last, if that is known. */
        public Optional<Duration> window() {
            return Optional.ofNullable(window);
        }

        /** The latest line of its own output (an image build's), if it has told one. */
        public Optional<String> latest() {
            return Optional.ofNullable(latest);
        }

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

    /** Ends work of no known length, and tells its latest output line meanwhile. */
    public interface Work extends Handle {
        /** Tells the work's latest output line (a blank one is ignored). */
        void latest(String line);
    }

    /**
     * The waits not yet ended, oldest first. Waits of several threads overlap (nodes started side by
     * side): each ends by removing itself, so an ended wait is never restored.
     */
    private static final Deque<Wait> ACTIVE = new ConcurrentLinkedDeque<>();

    private Progress() {}

    /** Marks a wait for {@code what} of at most {@code window}; close the handle when it ends. */
    public static Handle waiting(String what, Duration window) {
        return start(what, Objects.requireNonNull(window, "window"));
    }

    /** Marks work of no known length ({@code building image …}); close the handle when it ends. */
    public static Work working(String what) {
        return start(what, null);
    }

    private static Work start(String what, Duration window) {
        Wait wait = new Wait(what, System.nanoTime(), window);
        ACTIVE.addLast(wait);
        return new Work() {
            @Override
            public void latest(String line) {
                if (line != null && !line.isBlank()) {
                    wait.latest = line.strip();
                }
            }

            @Override
            public void close() {
                ACTIVE.removeLastOccurrence(wait);
            }
        };
    }

    /** The wait in progress, if any. */
    public static Optional<Wait> current() {
        return Optional.ofNullable(ACTIVE.peekLast());
    }
}
