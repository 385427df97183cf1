package io.clstr.junit.history;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One way a recorded history breaks a property a {@link HistoryCheck} checks: the property's
 * name, a sentence that names what is involved (messages, holders, tokens), and the ids of the
 * recorded operations that show it, which the timeline marks.
 *
 * @param property the property broken, such as {@code no loss}
 * @param text     what happened, naming the values and operations involved
 * @param entries  the {@link Entry#id() ids} of the operations that show it
 */
public record Violation(String property, String text, List<Integer> entries) {

    public Violation {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(text, "text");
        entries = List.copyOf(entries);
    }

    /** How violations write a time of the history: {@code +1.234 s} from its start. */
    public static String at(long nanos) {
        return String.format(Locale.ROOT, "+%.3f s", nanos / 1e9);
    }

    /** {@code property: text}. */
    @Override
    public String toString() {
        return property + ": " + text;
    }
}
