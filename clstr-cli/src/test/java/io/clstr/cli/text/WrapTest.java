package io.clstr.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WrapTest {

    @Test
    void shortLinesStayAsTheyAre() {
        assertThat(Wrap.line("Hint: No leader.", 40)).containsExactly("Hint: No leader.");
        assertThat(Wrap.line("a ".repeat(100), 0)).hasSize(1);
    }

    @Test
    void aCauseWrapsUnderItsText() {
        assertThat(Wrap.line("  - A follower resets its election timer on every heartbeat it accepts.", 40))
                .containsExactly("  - A follower resets its election timer", "    on every heartbeat it accepts.");
    }

    @Test
    void theHintLineWrapsUnderItsDiagnosis() {
        assertThat(Wrap.line("Hint: The minority side n1, n2 (2 of 5) must have no leader.", 30))
                .containsExactly("Hint: The minority side n1, n2", "      (2 of 5) must have no", "      leader.");
    }

    @Test
    void aWordLongerThanTheLineIsNeverBroken() {
        String path = "/home/learner/kv/.clstr/timelines/timeline-20261205-101010-123.html";
        assertThat(Wrap.line("Timeline: " + path + " end", 30)).containsExactly("Timeline:", path, "end");
    }

    @Test
    void theWidthComesFromColumnsOrTheTerminal() {
        assertThat(Wrap.width(true, Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(Wrap.width(false, Map.of("COLUMNS", "80"))).isEqualTo(80);
        assertThat(Wrap.width(true, Map.of())).isEqualTo(Wrap.DEFAULT_WIDTH);
        assertThat(Wrap.width(false, Map.of())).isZero();
        assertThat(Wrap.width(false, Map.of("COLUMNS", "wide"))).isZero();
    }
}
