package io.clstr.cli.text;

import java.util.Map;

/**
 * Styles text for the terminal clstr writes to: ANSI colour only when output goes to a
 * terminal and {@code NO_COLOR} is unset (see no-color.org), plain text everywhere else.
 */
public final class Terminal {
    private static final String RESET = "\u001b[0m";

    private final boolean colour;
    private final boolean live;

    private Terminal(boolean colour, boolean live) {
        this.colour = colour;
        this.live = live;
    }

    /** A terminal that never colours: for pipes, files and tests. */
    public static Terminal plain() {
        return new Terminal(false, false);
    }

    /** A terminal that always colours. */
    public static Terminal coloured() {
        return new Terminal(true, false);
    }

    /** A terminal that colours and shows a live progress line: for tests of the live line. */
    public static Terminal interactive() {
        return new Terminal(true, true);
    }

    /**
     * Colour when {@code console} is true (stdout is a terminal), {@code NO_COLOR} is unset or
     * empty, and {@code TERM} is not {@code dumb}; or whenever {@code FORCE_COLOR} is set (to
     * anything but "" or "0"). A live progress line only on a terminal, without NO_COLOR, with a
     * TERM that is not dumb, and not in CI ({@code CI} set).
     */
    public static Terminal detect(boolean console, Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        String force = env.get("FORCE_COLOR");
        boolean forced = force != null && !force.isEmpty() && !force.equals("0") && !force.equalsIgnoreCase("false");
        boolean wanted = (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
        String ci = env.get("CI");
        boolean inCi = ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
        return new Terminal(forced || (console && wanted), console && wanted && !inCi);
    }

    public boolean colour() {
        return colour;
    }

    /** Whether a live line (rewritten in place) may show what the run waits for. */
    public boolean live() {
        return live;
    }

    public String green(String text) {
        return style("32", text);
    }

    public String red(String text) {
        return style("31", text);
    }

    public String yellow(String text) {
        return style("33", text);
    }

    public String cyan(String text) {
        return style("36", text);
    }

    public String bold(String text) {
        return style("1", text);
    }

    public String dim(String text) {
        return style("2", text);
    }

    /** Bold and underlined, for headings. */
    public String heading(String text) {
        return style("1;4", text);
    }

    private String style(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
