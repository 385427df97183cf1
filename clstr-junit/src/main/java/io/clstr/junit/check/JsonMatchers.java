package io.clstr.junit.check;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/**
 * Matchers for whole JSON numbers such as Raft terms and indexes (and ids given as text), for
 * {@link HttpCheck#json(String, Matcher)}: they compare by value whatever Java type the JSON reader
 * chose (Integer for small values, Long for large ones), and reject anything that is not a whole
 * number, such as {@code "3"} or {@code 3.5}.
 *
 * <pre>{@code
 * cluster.get(node(n1), "/cluster/info").json("term", JsonMatchers.above(old.term())).check();
 * }</pre>
 */
public final class JsonMatchers {

    private JsonMatchers() {}

    /** Any whole number. */
    public static Matcher<Object> wholeNumber() {
        return new WholeNumber("a whole number", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A whole number {@code >= min}. */
    public static Matcher<Object> atLeast(long min) {
        return new WholeNumber("a whole number >= " + min, min, Long.MAX_VALUE);
    }

    /** A whole number {@code > min}. */
    public static Matcher<Object> above(long min) {
        return new WholeNumber("a whole number > " + min, min == Long.MAX_VALUE ? min : min + 1, Long.MAX_VALUE);
    }

    /** A whole number {@code <= max}. */
    public static Matcher<Object> atMost(long max) {
        return new WholeNumber("a whole number <= " + max, Long.MIN_VALUE, max);
    }

    /** Exactly {@code value}. */
    public static Matcher<Object> wholeNumber(long value) {
        return new WholeNumber(Long.toString(value), value, value);
    }

    /** A JSON string that is not empty, such as an id. */
    public static Matcher<Object> nonEmptyText() {
        return new TypeSafeDiagnosingMatcher<>(Object.class) {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                if (item instanceof String text && !text.isEmpty()) {
                    return true;
                }
                mismatch.appendText(item instanceof String ? "an empty string" : "not a string: ")
                        .appendValue(item);
                return false;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a non-empty string");
            }
        };
    }

    private static final class WholeNumber extends TypeSafeDiagnosingMatcher<Object> {
        private final String description;
        private final long min;
        private final long max;

        WholeNumber(String description, long min, long max) {
            super(Object.class);
            this.description = description;
            this.min = min;
            this.max = max;
        }

        @Override
        protected boolean matchesSafely(Object item, Description mismatch) {
            if (!(item instanceof Integer || item instanceof Long || item instanceof Short || item instanceof Byte)) {
                mismatch.appendText("was ").appendValue(item);
                return false;
            }
            long value = ((Number) item).longValue();
            if (value < min || value > max) {
                mismatch.appendText("was ").appendValue(value);
                return false;
            }
            return true;
        }

        @Override
        public void describeTo(Description d) {
            d.appendText(description);
        }
    }
}
