package io.clstr.cli.text;

import java.io.PrintWriter;

/**
 * Writes lines and flushes each at once (output is live), and never prints two blank lines
 * in a row, so the parts of a report can each ask for the space they need. Once the JVM has begun
 * to shut down (an interrupt) it prints nothing more: what the stage would still report then is the
 * cleanup's doing, and the interrupt's own line says so.
 */
public final class Printer {
    private final PrintWriter out;
    private static final String CLEAR_LINE = "\r\u001b[K";

    private boolean atBlank = true;
    private boolean liveShown;

    public Printer(PrintWriter out) {
        this.out = out;
    }

    /** Prints {@code line} (over the live line, if one is shown) and flushes. */
    public synchronized void line(String line) {
        if (JvmShutdown.begun()) {
            return;
        }
        clearLive();
        out.println(line);
        out.flush();
        atBlank = line.isBlank();
    }

    /** Shows {@code text} on the live line: written in place, replaced by the next live text or line. */
    public synchronized void live(String text) {
        if (JvmShutdown.begun()) {
            return;
        }
        out.print(CLEAR_LINE + text);
        out.flush();
        liveShown = true;
    }

    /** Removes the live line, if one is shown. */
    public synchronized void clearLive() {
        if (liveShown) {
            out.print(CLEAR_LINE);
            out.flush();
            liveShown = false;
        }
    }

    /** Prints an empty line unless the last line printed was empty (or nothing was printed yet). */
    public synchronized void blank() {
        if (!atBlank) {
            line("");
        }
    }
}
