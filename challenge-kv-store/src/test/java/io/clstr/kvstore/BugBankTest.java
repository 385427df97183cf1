package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bug of the bank is caught by its stage, at the test the bank names: that test is the
 * first to fail, every test before it passes, and the stage stops there (the rest are skipped).
 */
class BugBankTest {

    static Stream<Bank.Row> rows() {
        return Bank.selected().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void bugIsCaughtAtItsTest(Bank.Row row) {
        StageRun.Outcome outcome = StageRun.run(row.stage(), row.bug());
        System.out.print("REFERENCE_BUG=" + row.bug() + ": " + outcome.report());
        List<String> declared = StageRun.declaredTests(row.stage());
        int at = declared.indexOf(row.test());
        assertThat(at).as("the bank names a test that %s does not have", row.stageKey()).isNotNegative();

        assertThat(outcome.stageFailure()).as(outcome.report()).isNull();
        assertThat(outcome.firstFailure()).as(outcome.report()).isPresent();
        assertThat(outcome.firstFailure().get().name()).as(outcome.report()).isEqualTo(row.test());
        assertThat(outcome.names(StageRun.Status.PASSED)).as(outcome.report())
                .containsExactlyElementsOf(declared.subList(0, at));
        assertThat(outcome.names(StageRun.Status.SKIPPED)).as(outcome.report())
                .containsExactlyElementsOf(declared.subList(at + 1, declared.size()));
    }
}
