package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.StageInfo;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stage passes against the reference solution in the process runtime: every test of the
 * stage ran and passed, none was skipped.
 */
class ReferencePassesTest {

    static Stream<Named<Class<?>>> stages() {
        return StageRun.selectedStages().stream()
                .map(s -> Named.of(StageInfo.of(s).key(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void referencePassesStage(Class<?> stage) {
        StageRun.Outcome outcome = StageRun.run(stage, null);
        System.out.print(outcome.report());
        assertThat(outcome.stageFailure()).as(outcome.report()).isNull();
        assertThat(outcome.tests())
                .as(outcome.report())
                .extracting(StageRun.TestOutcome::name)
                .containsExactlyElementsOf(StageRun.declaredTests(stage));
        assertThat(outcome.names(StageRun.Status.PASSED))
                .as(outcome.report())
                .containsExactlyElementsOf(StageRun.declaredTests(stage));
    }
}
