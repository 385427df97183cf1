package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.StageInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs every stage against the reference {@code -Dclstr.repeat=N} times in a row and prints,
 * per stage, how many runs passed and the wall time of each (min, median, max), then every
 * failure. Passes only when every run of every stage passed. Not part of the default build.
 */
@EnabledIfSystemProperty(
        named = "clstr.repeat",
        matches = "[1-9][0-9]*",
        disabledReason = "the reliability loop; run it with -Dclstr.repeat=N")
class ReliabilityTest {

    @Test
    void everyStagePassesEveryRun() {
        int runs = Integer.parseInt(System.getProperty("clstr.repeat"));
        List<Class<?>> stages = StageRun.selectedStages();
        Map<Class<?>, List<StageRun.Outcome>> outcomes = new LinkedHashMap<>();
        stages.forEach(s -> outcomes.put(s, new ArrayList<>()));
        for (int run = 1; run <= runs; run++) {
            for (Class<?> stage : stages) {
                StageRun.Outcome outcome = StageRun.run(stage, null);
                outcomes.get(stage).add(outcome);
                System.out.printf(
                        Locale.ROOT,
                        "run %d/%d %-16s %s %s%n",
                        run,
                        runs,
                        StageInfo.of(stage).key(),
                        outcome.passed() ? "PASSED" : "FAILED",
                        StageRun.seconds(outcome.took()));
                if (!outcome.passed()) {
                    System.out.print(outcome.report());
                }
            }
        }
        StringBuilder summary = new StringBuilder("\nkv-store against the reference, " + runs + " runs:\n");
        int failed = 0;
        for (Map.Entry<Class<?>, List<StageRun.Outcome>> e : outcomes.entrySet()) {
            List<StageRun.Outcome> list = e.getValue();
            long passed = list.stream().filter(StageRun.Outcome::passed).count();
            failed += (int) (list.size() - passed);
            List<Duration> times =
                    list.stream().map(StageRun.Outcome::took).sorted().toList();
            summary.append(String.format(
                    Locale.ROOT,
                    "  %-16s %d/%d passed   wall time min %s, median %s, max %s%n",
                    StageInfo.of(e.getKey()).key(),
                    passed,
                    list.size(),
                    StageRun.seconds(times.get(0)),
                    StageRun.seconds(times.get(times.size() / 2)),
                    StageRun.seconds(times.get(times.size() - 1))));
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
