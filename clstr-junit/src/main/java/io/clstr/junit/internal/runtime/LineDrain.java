package io.clstr.junit.internal.runtime;

import io.clstr.junit.internal.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A daemon thread that reads a process's output until end of stream and hands it on line by line
 * (see {@link LineSplitter}), so the
 * process never blocks on a full pipe.
 */
final class LineDrain {
    private final Thread thread;

    private LineDrain(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts draining {@code in} into {@code lines}. A consumer that throws does not stop the
     * draining: the line is dropped for that consumer and the process keeps running unblocked.
     */
    static LineDrain start(String threadName, InputStream in, Consumer<String> lines) {
        Thread t = new Thread(() -> drain(in, lines), threadName);
        t.setDaemon(true);
        t.start();
        return new LineDrain(t);
    }

    /** Waits up to {@code timeout} for end of stream (a process that left children behind may hold it open); returns whether it came. */
    boolean awaitEnd(Duration timeout) {
        return Deadline.in(timeout).untilUninterruptibly(Duration.ofMillis(5), () -> !thread.isAlive());
    }

    private static void drain(InputStream in, Consumer<String> lines) {
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
    }
}
