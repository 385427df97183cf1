package io.clstr.junit.internal.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts what a node prints into lines (UTF-8, without the line break and a {@code \r} before it); a
 * line longer than {@value #MAX_LINE_BYTES} bytes is cut there, so one endless line costs no more
 * memory than a short one. Not thread-safe: one splitter per stream.
 */
public final class LineSplitter {
    /** The longest line handed on; a longer one is handed on in pieces of this size. */
    public static final int MAX_LINE_BYTES = 16 * 1024;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final Consumer<String> lines;

    /** A splitter that hands each line to {@code lines}; one that throws loses that line and nothing else. */
    public LineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    /** Splits {@code bytes[from..to)}, handing on every line completed; bytes are copied a line at a time. */
    public void write(byte[] bytes, int from, int to) {
        int start = from;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i - start);
                emit();
                start = i + 1;
            } else if (line.size() + (i + 1 - start) >= MAX_LINE_BYTES) {
                line.write(bytes, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        line.write(bytes, start, to - start);
    }

    /** Hands on a last line that had no line break. */
    public void flush() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            lines.accept(text);
        } catch (RuntimeException e) {
            // a failing log sink must not stop the reading, or the node would block on a full pipe
        }
    }
}
