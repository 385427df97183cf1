package io.clstr.cli.text;

import java.io.PrintWriter;

/**
 * Writes lines and flushes each at once (output is live), and never prints two blank lines
 * in a row, so the parts of a report can each ask for the space they need.
 */
public final class Printer {
    private final PrintWriter out;
    private boolean atBlank = true;

    public Printer(PrintWriter out) {
        this.out = out;
    }

    /** Prints {@code line} and flushes. */
    public void line(String line) {
        out.println(line);
        out.flush();
        atBlank = line.isBlank();
    }

    /** Prints an empty line unless the last line printed was empty (or nothing was printed yet). */
    public void blank() {
        if (!atBlank) {
            line("");
        }
    }
}
