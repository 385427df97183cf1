package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bug of the bank is caught by its stage at one of the tests the bank names for it: the
 * stage's first failing test is one whose property the bug breaks, every test before it passes,
 * and the stage stops there (the rest are skipped).
 */
class BugBankTest {

    static Stream<Bank.Row> rows() {
        return Bank.selected().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void bugIsCaughtAtItsTest(Bank.Row row) {
        List<String> declared = StageRun.declaredTests(row.stage());
        assertThat(declared)
                .as("the bank names tests that %s does not have", row.stageKey())
                .containsAll(row.tests());

        StageRun.Outcome outcome = StageRun.run(row.stage(), row.bug());
        System.out.print("REFERENCE_BUG=" + row.bug() + ": " + outcome.report());
        assertThat(outcome.stageFailure()).as(outcome.report()).isNull();
        String first = outcome.firstFailure()
                .map(StageRun.TestOutcome::name)
                .orElseThrow(() -> new AssertionError(
                        row.bug() + " was not caught: no test of " + row.stageKey() + " failed\n" + outcome.report()));
        assertThat(first)
                .as(
                        "%s must first fail at %s, whose property it breaks; it first failed at \"%s\"%n%s",
                        row.bug(), row.testsText(), first, outcome.report())
                .isIn(row.tests());
        int at = declared.indexOf(first);
        assertThat(outcome.names(StageRun.Status.PASSED))
                .as(outcome.report())
                .containsExactlyElementsOf(declared.subList(0, at));
        assertThat(outcome.names(StageRun.Status.SKIPPED))
                .as(outcome.report())
                .containsExactlyElementsOf(declared.subList(at + 1, declared.size()));
    }

    /**
     * The last test of stage 5 catches a bug on its own, through the recorded history: run alone
     * with {@code ack-before-commit}, the checker proves the history not linearizable and the
     * failure names an HTML timeline that exists.
     */
    @Test
    void linearizabilityCheckCatchesAcknowledgedWritesThatAreLost() throws IOException {
        StageRun.Outcome outcome = StageRun.run(LogReplication.class, "ack-before-commit", "linearizableUnderFaults");
        System.out.print("REFERENCE_BUG=ack-before-commit, Linearizable Under Faults alone: " + outcome.report());
        assertThat(outcome.stageFailure()).as(outcome.report()).isNull();
        assertThat(outcome.tests()).as(outcome.report()).hasSize(1);
        StageRun.TestOutcome test = outcome.tests().get(0);
        assertThat(test.name()).isEqualTo("Linearizable Under Faults");
        assertThat(test.status()).as(outcome.report()).isEqualTo(StageRun.Status.FAILED);
        String message = test.failure().getMessage();
        assertThat(message).as(outcome.report()).startsWith("history is not shown linearizable: NOT_LINEARIZABLE");
        Matcher timeline = Pattern.compile("Timeline: (\\S+\\.html)").matcher(message);
        assertThat(timeline.find()).as(message).isTrue();
        Path html = Path.of(timeline.group(1));
        assertThat(html).isRegularFile().startsWith(StageRun.referenceFolder().resolve(".clstr/timelines"));
        assertThat(Files.readString(html))
                .as("the faults of the run are marked on the timeline")
                .contains(" KILL", " START", "PARTITION: ", "PARTITION HEALED")
                .containsPattern("class=\"op [a-z]+ violating\"");
    }
}
