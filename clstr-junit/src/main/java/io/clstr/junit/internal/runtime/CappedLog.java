package io.clstr.junit.internal.runtime;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A file of lines that stops growing at a cap: what comes after is counted, and closing says how
 * much was left out. A file that cannot be written is skipped silently: the output it would hold
 * is a convenience, never the reason a run fails. Thread-safe.
 */
final class CappedLog implements AutoCloseable {
    private final Path file;
    private final long cap;
    private BufferedWriter writer;
    private long written;
    private long droppedLines;

    private CappedLog(Path file, long cap, BufferedWriter writer) {
        this.file = file;
        this.cap = cap;
        this.writer = writer;
    }

    /** Starts {@code file} afresh, keeping at most {@code cap} bytes of lines. */
    static CappedLog open(Path file, long cap) {
        BufferedWriter writer;
        try {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            writer = null;
        }
        return new CappedLog(file, cap, writer);
    }

    synchronized void line(String line) {
        if (writer == null) {
            return;
        }
        long bytes = line.length() + 1L;
        if (written + bytes > cap) {
            droppedLines++;
            return;
        }
        written += bytes;
        try {
            writer.write(line);
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        try {
            if (droppedLines > 0) {
                writer.write(String.format(
                        Locale.ROOT,
                        "[clstr: %d more lines not kept: %s keeps %d MB]%n",
                        droppedLines,
                        file.getFileName(),
                        cap >> 20));
            }
            writer.close();
        } catch (IOException e) {
            // the log is a convenience
        }
        writer = null;
    }
}
