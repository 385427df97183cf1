package io.clstr.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.Challenge;
import io.clstr.junit.StageInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a challenge's own tests check about it without starting a node: its tests are the spec's,
 * every stage has a guide, the bug bank covers every stage, and the bank is documented where
 * learners and authors read it (the reference's BUGS.md, the module's README).
 */
public final class ChallengeDocs {

    private ChallengeDocs() {}

    /** Each stage's tests, read without running anything, are {@code spec}'s for its key, in order. */
    public static void assertTestsAreTheSpecs(Challenge challenge, Map<String, List<String>> spec) {
        assertThat(challenge.stageKeys()).as("stages with tests in the spec").isSubsetOf(spec.keySet());
        for (Class<?> stage : challenge.stages()) {
            String key = StageInfo.of(stage).key();
            assertThat(StageRun.declaredTests(stage)).as(key).containsExactlyElementsOf(spec.get(key));
        }
    }

    /** Every stage has a guide that starts with its title line, names each of its tests and has the usual sections. */
    public static void assertEveryStageHasAGuide(Challenge challenge) {
        for (Class<?> stage : challenge.stages()) {
            String key = StageInfo.of(stage).key();
            String guide = challenge.guide(key).orElseThrow(() -> new AssertionError("no guide for " + key));
            assertThat(guide).as(key).startsWith("# Stage ").contains("## Pitfalls", "## Further reading");
            String text = guide.replaceAll("\\s+", " ");
            StageRun.declaredTests(stage)
                    .forEach(name ->
                            assertThat(text).as(key + " guide names its test").contains(name));
        }
    }

    /** Every stage catches at least two bugs, no bug is listed twice, and every row names tests its stage has. */
    public static void assertEveryStageCatchesTwoBugs(Challenge challenge, List<BankRow> rows) {
        for (Class<?> stage : challenge.stages()) {
            assertThat(rows.stream().filter(r -> r.stage() == stage))
                    .as(StageInfo.of(stage).key())
                    .hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(rows.stream().map(BankRow::bug)).doesNotHaveDuplicates();
        for (BankRow row : rows) {
            assertThat(StageRun.declaredTests(row.stage())).as(row.toString()).containsAll(row.tests());
        }
    }

    /**
     * The reference's BUGS.md ({@code | `bug` | N stage | tests | ... |}) lists exactly the bank's
     * bugs, each at the bank's stage and tests; a line whose tests say "not guaranteed" is a bug
     * the bank does not claim to catch.
     */
    public static void assertBugsMdMatchesTheBank(Path bugsMd, List<BankRow> rows) {
        Pattern line = Pattern.compile("^\\| `([a-z0-9-]+)` \\| \\d+ ([a-z-]+) \\| ([^|]+?) \\|", Pattern.MULTILINE);
        Matcher m = line.matcher(read(bugsMd));
        List<String> mustCatch = new ArrayList<>();
        while (m.find()) {
            String test = m.group(3).trim();
            if (test.contains("not guaranteed")) {
                continue;
            }
            String bug = m.group(1);
            BankRow row = rows.stream()
                    .filter(r -> r.bug().equals(bug))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(bugsMd + " lists " + bug + ", the bank does not"));
            assertThat(row.stageKey()).as(row.bug()).isEqualTo(m.group(2));
            assertThat(test).as(row.bug() + " in " + bugsMd).startsWith(row.testsText());
            mustCatch.add(row.bug());
        }
        assertThat(rows).extracting(BankRow::bug).containsExactlyInAnyOrderElementsOf(mustCatch);
    }

    /** {@code readme}'s table ({@code | `bug` | `stage` | tests |}) lists the bank's rows, in order. */
    public static void assertReadmeListsTheBank(Path readme, List<BankRow> rows) {
        Pattern line = Pattern.compile("^\\| `([a-z0-9-]+)` \\| `([a-z-]+)` \\| ([^|]+?) \\|", Pattern.MULTILINE);
        Matcher m = line.matcher(read(readme));
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1) + " → " + m.group(2) + " → " + m.group(3).trim());
        }
        assertThat(documented)
                .as(readme + " lists the bank")
                .containsExactlyElementsOf(rows.stream().map(BankRow::toString).toList());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
