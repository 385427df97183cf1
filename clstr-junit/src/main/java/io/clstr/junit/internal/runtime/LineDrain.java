package io.clstr.junit.internal.runtime;

import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.Workers;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Reads a process's output until end of stream, on one of the JVM's kept threads ({@link Workers}),
 * and hands it on line by line (see {@link LineSplitter}), so the process never blocks on a full
 * pipe. A thread of its own per stream cost a node's start two thread starts (up to a millisecond
 * each in a cold JVM), and its end was seen by polling whether the thread still lived.
 */
final class LineDrain {
    private final Future<?> done;

    private LineDrain(Future<?> done) {
        this.done = done;
    }

    /**
     * Starts draining {@code in} into {@code lines}; {@code name} names the thread while it drains (in a
     * thread dump: whose output it is). A consumer that throws does not stop the draining: the line is
     * dropped for that consumer and the process keeps running unblocked.
     */
    static LineDrain start(String name, InputStream in, Consumer<String> lines) {
        return new LineDrain(Workers.submit(() -> drain(name, in, lines)));
    }

    /**
     * Waits up to {@code timeout} for end of stream (a process that left children behind may hold it
     * open); returns whether it came. An interrupt does not end the wait; the flag is kept.
     */
    boolean awaitEnd(Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return true; // the drain ended all the same
                } catch (TimeoutException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void drain(String name, InputStream in, Consumer<String> lines) {
        Thread self = Thread.currentThread();
        String kept = self.getName();
        self.setName(name);
        try {
            LineSplitter splitter = new LineSplitter(lines);
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    splitter.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the stream was closed under us (the process ended): what was read so far still counts
            }
            splitter.flush();
        } finally {
            self.setName(kept);
        }
    }
}
