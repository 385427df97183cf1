package io.clstr.cli.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wraps failure text to the terminal's width: lines break between words only (a long URL or path
 * stays whole), and continuation lines are indented under the text they continue, so a hint's
 * causes ({@code "  - ..."}) and the {@code Hint:} line stay readable.
 */
public final class Wrap {
    /** The width used on a terminal whose size is not told (no {@code COLUMNS}). */
    public static final int DEFAULT_WIDTH = 100;

    private static final Pattern MARKER = Pattern.compile("^(\\s*)(- |Hint: |Found: )?");

    private Wrap() {}

    /**
     * The width to wrap at: {@code COLUMNS} when it is a number, {@link #DEFAULT_WIDTH} on a terminal,
     * 0 (do not wrap) when output goes to a file or a pipe, where long lines are easier to search.
     */
    public static int width(boolean terminal, Map<String, String> env) {
        String columns = env.get("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            return Integer.parseInt(columns);
        }
        return terminal ? DEFAULT_WIDTH : 0;
    }

    /** {@code line} as lines of at most {@code width} characters where words allow; unchanged when width is 0. */
    public static List<String> line(String line, int width) {
        if (width <= 0 || line.length() <= width) {
            return List.of(line);
        }
        Matcher marker = MARKER.matcher(line);
        marker.find();
        String indent = " ".repeat(marker.end());
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder(line.substring(0, marker.end()));
        boolean empty = true;
        for (String word : line.substring(marker.end()).split(" ", -1)) {
            if (!empty && current.length() + 1 + word.length() > width) {
                lines.add(current.toString());
                current = new StringBuilder(indent);
                empty = true;
            }
            if (!empty) {
                current.append(' ');
            }
            current.append(word);
            empty = false;
        }
        lines.add(current.toString());
        return lines;
    }
}
