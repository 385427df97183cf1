package io.clstr.junit.check;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

class JsonMatchersTest {

    @Test
    void wholeNumbersCompareByValueWhateverTheirType() {
        assertThat(3, JsonMatchers.wholeNumber(3));
        assertThat(3L, JsonMatchers.wholeNumber(3));
        assertThat(5_000_000_000L, JsonMatchers.above(4_999_999_999L));
        assertThat(0, JsonMatchers.atLeast(0));
        assertThat(7L, JsonMatchers.atMost(7));
        assertThat(2, JsonMatchers.wholeNumber());
    }

    @Test
    void otherValuesDoNotMatch() {
        assertThat(0, not(JsonMatchers.above(0)));
        assertThat(8L, not(JsonMatchers.atMost(7)));
        assertThat("3", not(JsonMatchers.wholeNumber(3)));
        assertThat(3.5, not(JsonMatchers.wholeNumber()));
        assertThat(null, not(JsonMatchers.atLeast(0)));
    }
}
