package io.clstr.junit.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Small text helpers shared by failure messages, log lines and {@code toString}s. */
public final class Text {

    public static final int BODY_LIMIT = 200;

    private Text() {}

    /** A body in quotes, control characters escaped, cut at {@code limit} characters with the full length noted. */
    public static String quote(String text, int limit) {
        if (text.length() <= limit) {
            return "\"" + escape(text) + "\"";
        }
        int cut = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return "\"" + escape(text.substring(0, cut)) + "…\" (" + text.length() + " chars)";
    }

    public static String quote(String text) {
        return quote(text, BODY_LIMIT);
    }

    /** {@code \n}, {@code \r}, {@code \t} and other control characters written as escapes. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Seconds with one decimal: "3.0 s". */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }

    public static String seconds(long nanos) {
        return seconds(Duration.ofNanos(nanos));
    }

    /** Durations as people read them: {@code 10 s}, {@code 1.5 s}, {@code 250 ms}. */
    public static String describe(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }

    /** Whole milliseconds: "500 ms". */
    public static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    /** "a", "a and b", "a, b and c". */
    public static String and(List<String> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "" : items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
