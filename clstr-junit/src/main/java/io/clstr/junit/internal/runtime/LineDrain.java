package io.clstr.junit.internal.runtime;

import io.clstr.junit.internal.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A daemon thread that reads a process's output until end of stream and hands it on line by line
 * (UTF-8, without the line break; a line longer than {@value #MAX_LINE_BYTES} bytes is split), so the
 * process never blocks on a full pipe.
 */
final class LineDrain {
    static final int MAX_LINE_BYTES = 16 * 1024;

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
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        emit(line, lines);
                    } else {
                        line.write(b);
                        if (line.size() >= MAX_LINE_BYTES) {
                            emit(line, lines);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the stream was closed under us (the process ended): what was read so far still counts
        }
        if (line.size() > 0) {
            emit(line, lines);
        }
    }

    private static void emit(ByteArrayOutputStream line, Consumer<String> lines) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            lines.accept(text);
        } catch (RuntimeException e) {
            // a failing log sink must not stop the draining, or the node would block on a full pipe
        }
    }
}
