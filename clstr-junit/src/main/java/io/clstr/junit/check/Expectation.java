package io.clstr.junit.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.clstr.junit.internal.Text;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hamcrest.Matcher;
import org.hamcrest.StringDescription;

/**
 * One thing an answer must show. {@code description} reads in the first line of a failure
 * ({@code status 404}, {@code json "role" = "leader"}); {@code mismatch} returns null when an
 * answer meets it, else what failed, for that node's line ({@code status},
 * {@code json "role" was "follower"}).
 */
final class Expectation {

    private static final int ONE_OF_SHOWN = 5;

    private final String description;
    private final Function<Response, String> mismatch;

    private Expectation(String description, Function<Response, String> mismatch) {
        this.description = description;
        this.mismatch = mismatch;
    }

    String description() {
        return description;
    }

    /** Null when the answer meets this expectation, else what failed in words. */
    String mismatch(Response response) {
        return mismatch.apply(response);
    }

    static Expectation status(int expected) {
        return new Expectation("status " + expected, r -> r.status() == expected ? null : "status");
    }

    static Expectation status(Matcher<? super Integer> matcher) {
        Objects.requireNonNull(matcher, "matcher");
        return new Expectation("status " + describe(matcher), r -> matcher.matches(r.status()) ? null : "status");
    }

    static Expectation header(String name, String expected) {
        Objects.requireNonNull(expected, "expected value (use a Matcher such as nullValue() for an absent header)");
        return header(name, "= " + Text.quote(expected), expected::equals);
    }

    static Expectation header(String name, Matcher<? super String> matcher) {
        Objects.requireNonNull(matcher, "matcher");
        return header(name, describe(matcher), matcher::matches);
    }

    private static Expectation header(String name, String what, Predicate<String> test) {
        Objects.requireNonNull(name, "name");
        return new Expectation("header " + name + " " + what, r -> {
            String actual = r.header(name);
            if (test.test(actual)) {
                return null;
            }
            return "header " + name + " was " + (actual == null ? "missing" : Text.quote(actual));
        });
    }

    /** Exact body, tolerating one trailing "\n" or "\r\n" on the answer. */
    static Expectation body(String expected) {
        Objects.requireNonNull(expected, "expected");
        return new Expectation(
                "body " + Text.quote(expected),
                r -> r.body().equals(expected) || withoutNewline(r.body()).equals(expected) ? null : "body");
    }

    /** The whole body matches the regex, tolerating one trailing newline on the answer. */
    static Expectation bodyMatches(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return new Expectation(
                "body matching /" + regex + "/",
                r -> pattern.matcher(r.body()).matches()
                                || pattern.matcher(withoutNewline(r.body())).matches()
                        ? null
                        : "body");
    }

    static Expectation bodyOneOf(Collection<String> expected) {
        List<String> options = List.copyOf(expected);
        if (options.isEmpty()) {
            throw new IllegalArgumentException("bodyOneOf needs at least one value");
        }
        String shown = options.stream().limit(ONE_OF_SHOWN).map(Text::quote).collect(Collectors.joining(", "));
        String more = options.size() > ONE_OF_SHOWN ? " … (" + options.size() + " values)" : "";
        return new Expectation(
                "body one of " + shown + more,
                r -> options.contains(r.body()) || options.contains(withoutNewline(r.body())) ? null : "body");
    }

    /** The JSON value at the path equals {@code expected}, numbers by value; null expects null or missing. */
    static Expectation json(String path, Object expected) {
        if (expected instanceof Matcher<?> m) {
            return json(path, m);
        }
        return json(path, "= " + Json.render(expected), actual -> Json.sameValue(expected, actual));
    }

    /** The JSON value at the path, as plain Java (integers as Integer, else Long; floats as Double), matches. */
    static Expectation json(String path, Matcher<?> matcher) {
        if (matcher == null) {
            return json(path, (Object) null);
        }
        return json(path, describe(matcher), matcher::matches);
    }

    private static Expectation json(String path, String what, Predicate<Object> test) {
        List<Object> steps = Json.steps(path);
        String subject = "json " + Text.quote(path);
        return new Expectation(subject + " " + what, r -> {
            JsonNode root = r.parsedJson();
            if (root == null) {
                return subject + " (body is not JSON)";
            }
            JsonNode value = Json.at(root, steps);
            return test.test(Json.toJava(value)) ? null : subject + " was " + shown(value);
        });
    }

    /**
     * A value as a mismatch shows it: its JSON text, cut at {@link Text#BODY_LIMIT} characters
     * with its length (and, for an array, how many items it has), so that a log of thousands of
     * entries does not fill the failure.
     */
    private static String shown(JsonNode value) {
        String text = Json.render(value);
        if (text.length() <= Text.BODY_LIMIT) {
            return text;
        }
        String size = value.isArray() ? value.size() + " items, " : "";
        return text.substring(0, Text.BODY_LIMIT) + "… (" + size + text.length() + " chars)";
    }

    static String withoutNewline(String body) {
        if (body.endsWith("\r\n")) {
            return body.substring(0, body.length() - 2);
        }
        return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
    }

    private static String describe(Matcher<?> matcher) {
        return StringDescription.toString(matcher);
    }
}
