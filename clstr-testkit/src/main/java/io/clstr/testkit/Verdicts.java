package io.clstr.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.timing.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The verdicts a challenge's own tests give about its reference: it passes a stage, every run of a loop. */
public final class Verdicts {

    private Verdicts() {}

    /** Runs {@code stage} against {@code reference} (no bug) and asserts that every declared test ran and passed. */
    public static StageRun.Outcome assertPasses(Reference reference, Class<?> stage) {
        return assertPasses(reference, stage, null);
    }

    /**
     * As {@link #assertPasses(Reference, Class)} with {@code REFERENCE_BUG=bug}: a bug of a later
     * stage must leave this one passing, or a learner would be blamed at the wrong stage.
     */
    public static StageRun.Outcome assertPasses(Reference reference, Class<?> stage, String bug) {
        StageRun.Outcome outcome = reference.run(stage, bug);
        System.out.print((bug == null ? "" : "REFERENCE_BUG=" + bug + ": ") + outcome.report());
        return assertEveryTestPassed(stage, outcome);
    }

    /**
     * Runs {@code stage} against {@code reference} in the docker runtime (call
     * {@link DockerPrecondition#assumeEngineAndImage} first) and asserts that every test passed.
     */
    public static StageRun.Outcome assertPassesInDocker(Reference reference, Class<?> stage) {
        StageRun.Outcome outcome = reference.runInDocker(stage);
        System.out.print("docker " + outcome.report());
        return assertEveryTestPassed(stage, outcome);
    }

    private static StageRun.Outcome assertEveryTestPassed(Class<?> stage, StageRun.Outcome outcome) {
        List<String> declared = StageRun.declaredTests(stage);
        assertThat(outcome.stageFailure()).as(outcome.report()).isNull();
        assertThat(outcome.timing())
                .as("the stage reports where its time went\n" + outcome.report())
                .isNotNull()
                .satisfies(t -> assertThat(t.waits() + t.overheadTotal()).isEqualTo(t.wall()));
        assertThat(outcome.tests())
                .as(outcome.report())
                .extracting(StageRun.TestOutcome::name)
                .containsExactlyElementsOf(declared);
        assertThat(outcome.names(StageRun.Status.PASSED)).as(outcome.report()).containsExactlyElementsOf(declared);
        return outcome;
    }

    /**
     * Runs every selected stage of {@code reference} {@code runs} times in a row and prints, per
     * stage, how many runs passed, the wall time of each (min, median, max) and the median share of
     * it that was clstr's own time rather than the stage's waits, then every failure; asserts that
     * every run of every stage passed.
     */
    public static void assertPassesEveryRun(Reference reference, int runs) {
        List<Class<?>> stages = reference.selectedStages();
        Map<Class<?>, List<StageRun.Outcome>> outcomes = new LinkedHashMap<>();
        stages.forEach(s -> outcomes.put(s, new ArrayList<>()));
        for (int run = 1; run <= runs; run++) {
            for (Class<?> stage : stages) {
                StageRun.Outcome outcome = reference.run(stage, null);
                outcomes.get(stage).add(outcome);
                System.out.printf(
                        Locale.ROOT,
                        "run %d/%d %-20s %s %s%n",
                        run,
                        runs,
                        StageInfo.of(stage).key(),
                        outcome.passed() ? "PASSED" : "FAILED",
                        StageRun.seconds(outcome.took()));
                if (!outcome.passed()) {
                    System.out.print(outcome.report());
                } else if (outcome.timing() != null) {
                    System.out.println("  " + StageRun.TIMING + outcome.timing().line(Report.EVERY_PART));
                }
            }
        }
        StringBuilder summary =
                new StringBuilder("\n" + reference.challenge().key() + " against the reference, " + runs + " runs:\n");
        int failed = 0;
        for (Map.Entry<Class<?>, List<StageRun.Outcome>> e : outcomes.entrySet()) {
            List<StageRun.Outcome> list = e.getValue();
            long passed = list.stream().filter(StageRun.Outcome::passed).count();
            failed += (int) (list.size() - passed);
            List<Duration> times =
                    list.stream().map(StageRun.Outcome::took).sorted().toList();
            List<Double> overheads = list.stream()
                    .filter(o -> o.timing() != null)
                    .map(o -> o.timing().overheadPercent())
                    .sorted()
                    .toList();
            summary.append(String.format(
                    Locale.ROOT,
                    "  %-20s %d/%d passed   wall time min %s, median %s, max %s%s%n",
                    StageInfo.of(e.getKey()).key(),
                    passed,
                    list.size(),
                    StageRun.seconds(times.get(0)),
                    StageRun.seconds(times.get(times.size() / 2)),
                    StageRun.seconds(times.get(times.size() - 1)),
                    overheads.isEmpty()
                            ? ""
                            : String.format(
                                    Locale.ROOT, ", overhead median %.1f %%", overheads.get(overheads.size() / 2))));
        }
        System.out.print(summary);
        List<String> failures = outcomes.values().stream()
                .flatMap(List::stream)
                .filter(o -> !o.passed())
                .map(StageRun.Outcome::report)
                .toList();
        assertThat(failed).as(summary + String.join("\n", failures)).isZero();
    }
}
