package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.StageInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bug of the bank leaves every stage before its own passing: a bug a learner makes at one
 * stage must not be blamed on an earlier one. Not part of the default build (it runs every
 * earlier stage once per bug); enable it with {@code -Dclstr.bugbank.earlier=true}.
 */
@EnabledIfSystemProperty(
        named = "clstr.bugbank.earlier",
        matches = "true",
        disabledReason = "runs every earlier stage per bug; enable with -Dclstr.bugbank.earlier=true")
class BugBankEarlierStagesTest {

    static Stream<Arguments> earlierStages() {
        List<Class<?>> stages = new KvStoreChallenge().stages();
        return Bank.selected().stream().flatMap(row -> stages.subList(0, stages.indexOf(row.stage())).stream()
                .map(earlier ->
                        Arguments.of(row.bug(), Named.of(StageInfo.of(earlier).key(), earlier))));
    }

    @ParameterizedTest(name = "{0} passes {1}")
    @MethodSource("earlierStages")
    void bugLeavesEarlierStagePassing(String bug, Class<?> earlier) {
        StageRun.Outcome outcome = StageRun.run(earlier, bug);
        System.out.print("REFERENCE_BUG=" + bug + ": " + outcome.report());
        assertThat(outcome.passed()).as(outcome.report()).isTrue();
        assertThat(outcome.names(StageRun.Status.PASSED))
                .as(outcome.report())
                .containsExactlyElementsOf(StageRun.declaredTests(earlier));
    }
}
