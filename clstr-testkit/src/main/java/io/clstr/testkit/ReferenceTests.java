package io.clstr.testkit;

import io.clstr.junit.StageInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tests that prove a challenge against its reference solution; a challenge module extends it
 * once, in its tests, naming its reference and its bug bank:
 *
 * <pre>{@code
 * class ReferenceTest extends ReferenceTests {
 *     ReferenceTest() { super(Reference.of(new QueueChallenge()), Bank.ROWS); }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>every stage passes in the process runtime, and in the docker runtime where an engine and
 *       the base image {@code clstr/java:17} are present (skipped, with the reason, elsewhere);
 *   <li>every bug of the bank is caught at one of its row's tests;
 *   <li>with {@code -Dclstr.bugbank.earlier=true}: every bug leaves the stages before its own
 *       passing;
 *   <li>with {@code -Dclstr.repeat=N}: every stage passes N runs in a row (the reliability loop).
 * </ul>
 *
 * {@code -Dclstr.stages=<key>,...} and {@code -Dclstr.bugs=<bug>,...} narrow the stages and rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ReferenceTests {

    /** The base image the reference images are built on (DESIGN.md section 10). */
    public static final String BASE_IMAGE = "clstr/java:17";

    private final Reference reference;
    private final List<BankRow> rows;

    protected ReferenceTests(Reference reference, List<BankRow> rows) {
        this.reference = reference;
        this.rows = List.copyOf(rows);
    }

    Stream<Named<Class<?>>> stages() {
        return reference.selectedStages().stream()
                .map(s -> Named.of(StageInfo.of(s).key(), s));
    }

    Stream<BankRow> rows() {
        return BankRow.selected(rows).stream();
    }

    Stream<Arguments> earlierStages() {
        List<Class<?>> stages = reference.challenge().stages();
        return rows().flatMap(row -> stages.subList(0, stages.indexOf(row.stage())).stream()
                .map(earlier ->
                        Arguments.of(row.bug(), Named.of(StageInfo.of(earlier).key(), earlier))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void referencePassesStage(Class<?> stage) {
        Verdicts.assertPasses(reference, stage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void bugIsCaughtAtItsTest(BankRow row) {
        row.assertCaught(reference);
    }

    @ParameterizedTest(name = "docker {0}")
    @MethodSource("stages")
    @Tag("docker")
    void referencePassesStageInTheDockerRuntime(Class<?> stage) {
        DockerPrecondition.assumeEngineAndImage(BASE_IMAGE);
        Verdicts.assertPassesInDocker(reference, stage);
    }

    @ParameterizedTest(name = "{0} passes {1}")
    @MethodSource("earlierStages")
    @EnabledIfSystemProperty(
            named = "clstr.bugbank.earlier",
            matches = "true",
            disabledReason = "runs every earlier stage per bug; enable with -Dclstr.bugbank.earlier=true")
    void bugLeavesEarlierStagePassing(String bug, Class<?> earlier) {
        Verdicts.assertPasses(reference, earlier, bug);
    }

    @Test
    @EnabledIfSystemProperty(
            named = "clstr.repeat",
            matches = "[1-9][0-9]*",
            disabledReason = "the reliability loop; run it with -Dclstr.repeat=N")
    void everyStagePassesEveryRun() {
        Verdicts.assertPassesEveryRun(reference, Integer.parseInt(System.getProperty("clstr.repeat")));
    }
}
