package io.clstr.junit.check;

import io.clstr.junit.check.Attempt.Verdict;
import io.clstr.junit.internal.Text;
import io.clstr.junit.internal.check.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * The text of a failed check:
 * <pre>
 * GET /kv/missing on n1 → expected status 404 and body "key not found"
 *   n1 (http://127.0.0.1:20001): 200 "value" — failed: status, body
 * Hint: A GET for a key that was never written must return 404 with "key not found".
 * </pre>
 * The first line names the request, the nodes and every expectation (and, for several
 * nodes, how many met them); then one line per node requested; then when it failed
 * (for eventually and consistently); then the hint.
 */
final class FailureMessage {

    private static final int REQUEST_BODY_LIMIT = 60;

    private FailureMessage() {}

    static AssertionFailedError error(
            Request request,
            Selector selector,
            List<Expectation> expectations,
            Timing.Outcome outcome,
            List<String> hint) {
        List<Verdict> verdicts = outcome.attempt().verdicts();
        String expected = expectations.isEmpty()
                ? "a response"
                : Text.and(expectations.stream().map(Expectation::description).toList());
        List<String> nodeLines = new ArrayList<>();
        for (Verdict v : verdicts) {
            nodeLines.add(nodeLine(v, verdicts.size() > 1));
        }
        StringBuilder message = new StringBuilder()
                .append(requestLine(request))
                .append(" on ")
                .append(verdicts.isEmpty() ? selector.describeInWords() : names(verdicts))
                .append(" → expected ")
                .append(judgement(selector, expected, verdicts));
        nodeLines.forEach(line -> message.append("\n  ").append(line));
        if (verdicts.stream().anyMatch(v -> v.response().noAnswer() == Response.NoAnswer.NOT_ACCEPTED)) {
            message.append('\n').append(Http.ACCEPT_QUEUE);
        }
        if (outcome.note() != null) {
            message.append('\n').append(outcome.note());
        }
        appendHint(message, hint);
        return new AssertionFailedError(message.toString(), expected, String.join("\n", nodeLines));
    }

    /**
     * Appends a hint: {@code Hint: <diagnosis>}, then each likely cause on a line of its own,
     * indented and marked {@code -}; nothing when there is no hint.
     */
    static void appendHint(StringBuilder message, List<String> hint) {
        if (hint == null || hint.isEmpty()) {
            return;
        }
        message.append("\nHint: ").append(hint.get(0));
        for (String cause : hint.subList(1, hint.size())) {
            message.append("\n  - ").append(cause);
        }
    }

    /** The hint lines of {@code hint(...)}: null or no lines is no hint; blank lines are dropped. */
    static List<String> hintLines(String... lines) {
        if (lines == null) {
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (line != null && !line.isBlank()) {
                kept.add(line.strip());
            }
        }
        return List.copyOf(kept);
    }

    /** A node's answer as a failure line: {@code n1 (http://…): 200 "value"}. */
    static String answerLine(Response response) {
        return response.route() + ": " + response.summary();
    }

    /** {@code PUT /kv/a "1"}: method, path exactly as sent, and the request body when there is one. */
    static String requestLine(Request request) {
        return request.method() + " " + request.path()
                + (request.body() == null ? "" : " " + Text.quote(request.body(), REQUEST_BODY_LIMIT));
    }

    private static String judgement(Selector selector, String expected, List<Verdict> verdicts) {
        List<Verdict> met = verdicts.stream().filter(Verdict::met).toList();
        String noneLive = ", but no node is live";
        switch (selector.quantifier()) {
            case AT_LEAST_ONE:
                return "at least one node with " + expected + (verdicts.isEmpty() ? noneLive : ", but none did");
            case EXACTLY_ONE:
                return "exactly one node with " + expected
                        + (verdicts.isEmpty()
                                ? noneLive
                                : met.isEmpty()
                                        ? ", but none did"
                                        : ", but " + met.size() + " did (" + names(met) + ")");
            default:
                if (verdicts.isEmpty()) {
                    return expected + noneLive;
                }
                if (verdicts.size() == 1) {
                    return expected;
                }
                List<Verdict> missed = verdicts.stream().filter(v -> !v.met()).toList();
                return expected + " from each node, but " + missed.size() + " of " + verdicts.size() + " did not ("
                        + names(missed) + ")";
        }
    }

    private static String nodeLine(Verdict v, boolean several) {
        String line = answerLine(v.response());
        if (v.response().error() != null) {
            return line;
        }
        if (!v.failed().isEmpty()) {
            return line + " — failed: " + String.join(", ", v.failed());
        }
        return several ? line + " — ok" : line;
    }

    private static String names(List<Verdict> verdicts) {
        return verdicts.stream().map(v -> v.response().node().name()).collect(Collectors.joining(", "));
    }
}
