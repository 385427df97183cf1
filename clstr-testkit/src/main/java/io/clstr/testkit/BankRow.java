package io.clstr.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.StageInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a bug bank: a bug of the reference ({@code REFERENCE_BUG=<bug>}), the stage that
 * must catch it and every test of that stage whose property the bug breaks, the one designed to
 * catch it first. A run of the stage with the bug on passes the row when its first failing test
 * is one of those: which fails first can depend on timing when the bug breaks several properties.
 *
 * @param bug   the value of {@code REFERENCE_BUG}
 * @param stage the stage class that catches it
 * @param tests the display names of the stage's tests whose property the bug breaks, the test
 *              designed to catch it first
 */
public record BankRow(String bug, Class<?> stage, List<String> tests) {

    public BankRow {
        if (tests.isEmpty()) {
            throw new IllegalArgumentException(bug + ": a row names at least one test");
        }
        tests = List.copyOf(tests);
    }

    /** A row whose bug {@code named} is designed to catch, and which {@code alsoBreaks} too. */
    public static BankRow of(String bug, Class<?> stage, String named, String... alsoBreaks) {
        List<String> tests = new ArrayList<>();
        tests.add(named);
        tests.addAll(List.of(alsoBreaks));
        return new BankRow(bug, stage, tests);
    }

    /** The rows to run: all, or those whose bug {@code -Dclstr.bugs=<bug>[,<bug>]} names. */
    public static List<BankRow> selected(List<BankRow> rows) {
        String wanted = System.getProperty("clstr.bugs", "").trim();
        if (wanted.isEmpty()) {
            return rows;
        }
        List<String> bugs = List.of(wanted.split("\\s*,\\s*"));
        List<BankRow> selected =
                rows.stream().filter(r -> bugs.contains(r.bug())).toList();
        if (selected.size() != bugs.size()) {
            throw new IllegalArgumentException("-Dclstr.bugs=" + wanted + " names a bug that is not in the bank: "
                    + rows.stream().map(BankRow::bug).toList());
        }
        return selected;
    }

    /** The stage's key. */
    public String stageKey() {
        return StageInfo.of(stage).key();
    }

    /** The test designed to catch the bug. */
    public String named() {
        return tests.get(0);
    }

    /** {@code named test; also: other tests}. */
    public String testsText() {
        return tests.size() == 1 ? named() : named() + "; also: " + String.join(", ", tests.subList(1, tests.size()));
    }

    /**
     * Runs the row's stage against {@code reference} with the bug on and asserts that it is caught
     * here: the first failing test is one of the row's, every test before it passed, and the stage
     * stopped there (the rest skipped). Returns the outcome.
     */
    public StageRun.Outcome assertCaught(Reference reference) {
        List<String> declared = StageRun.declaredTests(stage);
        assertThat(declared)
                .as("the bank names tests that %s does not have", stageKey())
                .containsAll(tests);
        StageRun.Outcome outcome = reference.run(stage, bug);
        System.out.print("REFERENCE_BUG=" + bug + ": " + outcome.report());
        assertThat(outcome.stageFailure()).as(outcome.report()).isNull();
        String first = outcome.firstFailure()
                .map(StageRun.TestOutcome::name)
                .orElseThrow(() -> new AssertionError(
                        bug + " was not caught: no test of " + stageKey() + " failed\n" + outcome.report()));
        assertThat(first)
                .as(
                        "%s must first fail at %s, whose property it breaks; it first failed at \"%s\"%n%s",
                        bug, testsText(), first, outcome.report())
                .isIn(tests);
        int at = declared.indexOf(first);
        assertThat(outcome.names(StageRun.Status.PASSED))
                .as(outcome.report())
                .containsExactlyElementsOf(declared.subList(0, at));
        assertThat(outcome.names(StageRun.Status.SKIPPED))
                .as(outcome.report())
                .containsExactlyElementsOf(declared.subList(at + 1, declared.size()));
        return outcome;
    }

    /** {@code bug → stage → named test; also: other tests}, as the README tables have it. */
    @Override
    public String toString() {
        return bug + " → " + stageKey() + " → " + testsText();
    }
}
