package io.clstr.cli.text;

import java.util.Map;

/**
 * Styles text for the terminal clstr writes to: ANSI colour only when output goes to a
 * terminal and {@code NO_COLOR} is unset (see no-color.org), plain text everywhere else.
 */
public final class Terminal {
    private static final String RESET = "\u001b[0m";

    private final boolean colour;

    private Terminal(boolean colour) {
        this.colour = colour;
    }

    /** A terminal that never colours: for pipes, files and tests. */
    public static Terminal plain() {
        return new Terminal(false);
    }

    /** A terminal that always colours. */
    public static Terminal coloured() {
        return new Terminal(true);
    }

    /**
     * Colour when {@code console} is true (stdout is a terminal), {@code NO_COLOR} is unset or
     * empty, and {@code TERM} is not {@code dumb}.
     */
    public static Terminal detect(boolean console, Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        boolean wanted = (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
        return new Terminal(console && wanted);
    }

    public boolean colour() {
        return colour;
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
