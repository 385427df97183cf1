package io.clstr.cli.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the Markdown of a stage guide as terminal text: headings bold and underlined,
 * code blocks indented, lists and paragraphs kept line for line, inline markup resolved.
 * Without colour the same layout comes out as plain text (headings underlined with
 * {@code =} or {@code -}).
 */
public final class MarkdownRenderer {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*$");
    private static final Pattern BULLET = Pattern.compile("^(\\s*)[-*+]\\s+(.*)$");
    private static final Pattern NUMBERED = Pattern.compile("^(\\s*)(\\d+[.)])\\s+(.*)$");
    private static final Pattern QUOTE = Pattern.compile("^\\s*>\\s?(.*)$");
    private static final Pattern RULE = Pattern.compile("^\\s*([-*_])(\\s*\\1){2,}\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern STRONG = Pattern.compile("\\*\\*(.+?)\\*\\*|__(.+?)__");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)]+)\\)");

    private final Terminal terminal;

    public MarkdownRenderer(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The rendered lines of {@code markdown}. */
    public List<String> render(String markdown) {
        List<String> out = new ArrayList<>();
        boolean inCode = false;
        for (String line : markdown.split("\r?\n", -1)) {
            if (FENCE.matcher(line).matches()) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                out.add("    " + terminal.cyan(line));
                continue;
            }
            out.addAll(block(line));
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private List<String> block(String line) {
        Matcher m = HEADING.matcher(line);
        if (m.matches()) {
            return heading(m.group(1).length(), plainText(m.group(2)));
        }
        if (RULE.matcher(line).matches()) {
            return List.of(terminal.dim("─".repeat(40)));
        }
        m = BULLET.matcher(line);
        if (m.matches()) {
            String bullet = terminal.colour() ? "•" : "-";
            return List.of(m.group(1) + "  " + bullet + " " + inline(m.group(2)));
        }
        m = NUMBERED.matcher(line);
        if (m.matches()) {
            return List.of(m.group(1) + "  " + m.group(2) + " " + inline(m.group(3)));
        }
        m = QUOTE.matcher(line);
        if (m.matches()) {
            return List.of(terminal.dim("│ ") + inline(m.group(1)));
        }
        return List.of(inline(line));
    }

    private List<String> heading(int level, String plain) {
        if (terminal.colour()) {
            return List.of(terminal.heading(plain));
        }
        if (level <= 2) {
            return List.of(plain, (level == 1 ? "=" : "-").repeat(Math.max(3, plain.length())));
        }
        return List.of(plain);
    }

    /** Resolves inline markup: code spans, strong emphasis and links. */
    private String inline(String text) {
        String s = LINK.matcher(text).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + " (" + r.group(2) + ")"));
        s = STRONG.matcher(s)
                .replaceAll(r -> Matcher.quoteReplacement(terminal.bold(r.group(1) != null ? r.group(1) : r.group(2))));
        if (terminal.colour()) {
            s = CODE_SPAN.matcher(s).replaceAll(r -> Matcher.quoteReplacement(terminal.cyan(r.group(1))));
        }
        return s;
    }

    private static String plainText(String text) {
        String s = LINK.matcher(text).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        s = CODE_SPAN.matcher(s).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        return STRONG.matcher(s)
                .replaceAll(r -> Matcher.quoteReplacement(r.group(1) != null ? r.group(1) : r.group(2)));
    }
}
