package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.DependsOn;
import io.clstr.junit.SetupException;
import io.clstr.junit.Stage;
import java.lang.reflect.Method;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OnlySelectionTest {

    @Stage(key = "chain", title = "Tests That Build On Each Other")
    static class Chain {
        @Test
        @DisplayName("First")
        void first() {}

        @Test
        @DisplayName("Second")
        void second() {}

        @Test
        @DisplayName("Third Needs First")
        @DependsOn("First")
        void third() {}

        @Test
        @DisplayName("Fourth Needs Third")
        @DependsOn("Third Needs First")
        void fourth() {}

        @Test
        @DisplayName("Fifth Needs A Later Test")
        @DependsOn("Sixth")
        void fifth() {}

        @Test
        @DisplayName("Sixth")
        void sixth() {}
    }

    @Test
    void aTestRunsWithWhatItDependsOnTransitivelyInSourceOrder() {
        assertThat(OnlySelection.methods(Chain.class, "Fourth Needs Third"))
                .extracting(Method::getName)
                .containsExactly("first", "third", "fourth");
        assertThat(OnlySelection.methods(Chain.class, "Second"))
                .extracting(Method::getName)
                .containsExactly("second");
    }

    @Test
    void anUnknownNameListsTheStagesTests() {
        assertThatThrownBy(() -> OnlySelection.methods(Chain.class, "Seventh"))
                .isInstanceOf(SetupException.class)
                .hasMessage("`Seventh` is not a test of chain: its tests are \"First\", \"Second\", \"Third Needs "
                        + "First\", \"Fourth Needs Third\", \"Fifth Needs A Later Test\", \"Sixth\"");
    }

    @Test
    void aDependencyOnALaterTestIsRefused() {
        assertThatThrownBy(() -> OnlySelection.methods(Chain.class, "Fifth Needs A Later Test"))
                .isInstanceOf(SetupException.class)
                .hasMessage("\"Fifth Needs A Later Test\" of chain depends on \"Sixth\", which is not an earlier test "
                        + "of the stage");
    }
}
