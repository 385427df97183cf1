package io.clstr.kvstore;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/**
 * Matchers for whole JSON numbers such as Raft terms, whatever Java type the JSON reader
 * gives them (Integer for small values, Long for large ones): they compare by value.
 */
final class Numbers {

    private Numbers() {}

    /** A whole number {@code >= min}. */
    static Matcher<Object> atLeast(long min) {
        return new WholeNumber("a whole number >= " + min, min, Long.MAX_VALUE);
    }

    /** A whole number {@code > min}. */
    static Matcher<Object> above(long min) {
        return new WholeNumber("a whole number > " + min, min + 1, Long.MAX_VALUE);
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
            if (!(item instanceof Integer || item instanceof Long)) {
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
