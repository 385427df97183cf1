package io.clstr.junit.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.opentest4j.AssertionFailedError;

/**
 * The failure of a hand-written check, in the layout of {@link HttpCheck}'s failures, so that every
 * failure a learner reads has the same shape:
 *
 * <pre>
 * GET /cluster/info on every live node, every 50 ms for 3 s → expected at most one leader in each term
 * Found: term 4 had 2 leaders: 127.0.0.1:20001 (n1 says it leads); 127.0.0.1:20002 (n2 says it leads)
 * Latest answers:
 *   n1 (http://127.0.0.1:20001): 200 "{...}"
 * Hint: Two leaders in one term.
 *   - A node may vote only once per term: persist votedFor with currentTerm.
 * </pre>
 *
 * <pre>{@code
 * throw Failure.of("GET /cluster/info on every live node").expected("one leader per term")
 *         .found(conflict).answers("Latest answers:", round).hint("Two leaders in one term.", "...").error();
 * }</pre>
 */
public final class Failure {
    private final String what;
    private String expected;
    private String found;
    private final List<String> details = new ArrayList<>();
    private List<String> hint = List.of();

    private Failure(String what) {
        this.what = Objects.requireNonNull(what, "what");
    }

    /** A failure of {@code what} was done: the requests and nodes, the window ("for 3 s"). */
    public static Failure of(String what) {
        return new Failure(what);
    }

    /** What should have been seen. */
    public Failure expected(String expected) {
        this.expected = expected;
        return this;
    }

    /** What was seen instead, in a line. */
    public Failure found(String found) {
        this.found = found;
        return this;
    }

    /** The nodes' answers, one indented line each, under {@code heading} (none when null). */
    public Failure answers(String heading, Collection<Response> responses) {
        return lines(heading, responses.stream().map(FailureMessage::answerLine).toList());
    }

    /** Any further lines, indented, under {@code heading} (none when null). */
    public Failure lines(String heading, Collection<?> lines) {
        if (heading != null) {
            details.add(heading);
        }
        lines.forEach(line -> details.add("  " + line));
        return this;
    }

    /** A line of its own, such as when in a window it failed. */
    public Failure note(String note) {
        details.add(note);
        return this;
    }

    /** A diagnosis line, then one line per likely cause, as {@link HttpCheck#hint(String, String...)}. */
    public Failure hint(String diagnosis, String... causes) {
        List<String> lines = new ArrayList<>();
        lines.add(diagnosis);
        lines.addAll(List.of(causes));
        this.hint = FailureMessage.hintLines(lines.toArray(String[]::new));
        return this;
    }

    /** The assertion error to throw. */
    public AssertionFailedError error() {
        StringBuilder message = new StringBuilder(what);
        if (expected != null) {
            message.append(" → expected ").append(expected);
        }
        if (found != null) {
            message.append("\nFound: ").append(found);
        }
        details.forEach(line -> message.append('\n').append(line));
        FailureMessage.appendHint(message, hint);
        return expected != null && found != null
                ? new AssertionFailedError(message.toString(), expected, found)
                : new AssertionFailedError(message.toString());
    }

    @Override
    public String toString() {
        return error().getMessage();
    }
}
