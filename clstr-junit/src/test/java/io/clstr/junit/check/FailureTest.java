package io.clstr.junit.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class FailureTest {

    @Test
    void hasTheLayoutOfTheChecks() {
        AssertionFailedError error = Failure.of("GET /cluster/info on every live node, for 3 s")
                .expected("one leader per term")
                .found("term 4 had 2 leaders")
                .lines("Latest answers:", List.of("n1: leader", "n2: leader"))
                .note("Failed after 1.2 s.")
                .hint("Two leaders in one term.", "Vote once per term.", "Count a majority of 3 of 5.")
                .error();
        assertThat(error.getMessage())
                .isEqualTo("GET /cluster/info on every live node, for 3 s → expected one leader per term\n"
                        + "Found: term 4 had 2 leaders\n"
                        + "Latest answers:\n"
                        + "  n1: leader\n"
                        + "  n2: leader\n"
                        + "Failed after 1.2 s.\n"
                        + "Hint: Two leaders in one term.\n"
                        + "  - Vote once per term.\n"
                        + "  - Count a majority of 3 of 5.");
        assertThat(error.getExpected().getValue()).isEqualTo("one leader per term");
        assertThat(error.getActual().getValue()).isEqualTo("term 4 had 2 leaders");
    }

    @Test
    void onlyWhatWasGivenIsShown() {
        assertThat(Failure.of("100 writes").error().getMessage()).isEqualTo("100 writes");
        assertThat(Failure.of("100 writes")
                        .hint("Some were lost.", "", "  ")
                        .error()
                        .getMessage())
                .isEqualTo("100 writes\nHint: Some were lost.");
    }
}
