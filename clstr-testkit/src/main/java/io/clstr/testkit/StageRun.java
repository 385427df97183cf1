package io.clstr.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.Warmup;
import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.docker.RuntimeSelection;
import io.clstr.junit.internal.timing.Report;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Runs one stage class against a reference solution through the Jupiter engine (JUnit's
 * EngineTestKit), in the process runtime, and reports what happened to each of its tests.
 * {@link Reference} runs stages of one challenge against its reference.
 */
public final class StageRun {

    /** What starts the line of {@link Outcome#report()} that tells where the stage's time went. */
    public static final String TIMING = "timing: ";

    private StageRun() {}

    /** How one test of a stage ended. */
    public enum Status {
        PASSED,
        FAILED,
        SKIPPED
    }

    /**
     * One test of a stage.
     *
     * @param name    its display name, as learners see it
     * @param status  how it ended
     * @param took    its duration (zero when skipped)
     * @param failure why it failed, or null
     */
    public record TestOutcome(String name, Status status, Duration took, Throwable failure) {}

    /**
     * One run of a stage.
     *
     * @param stage        the stage class
     * @param tests        its tests in the order they ran (skipped ones where they were reported)
     * @param took         wall time of the whole stage, cluster start and teardown included
     * @param stageFailure a failure of the stage itself (such as CLUSTER STARTUP), or null
     * @param timing       where the stage's time went (its waits against clstr's own time), or null
     *                     when the stage class never ran
     */
    public record Outcome(
            Class<?> stage, List<TestOutcome> tests, Duration took, Throwable stageFailure, Report timing) {

        /** Every test ran and passed, and the stage itself did not fail. */
        public boolean passed() {
            return stageFailure == null
                    && !tests.isEmpty()
                    && tests.stream().allMatch(t -> t.status() == Status.PASSED);
        }

        /** The first test that failed, if any. */
        public Optional<TestOutcome> firstFailure() {
            return tests.stream().filter(t -> t.status() == Status.FAILED).findFirst();
        }

        /** The names of the tests that ended {@code status}, in order. */
        public List<String> names(Status status) {
            return tests.stream()
                    .filter(t -> t.status() == status)
                    .map(TestOutcome::name)
                    .toList();
        }

        /** One line per test, where the time went, and the first failure's message: for assertion messages and logs. */
        public String report() {
            StringBuilder sb = new StringBuilder(StageInfo.of(stage).key())
                    .append(" (")
                    .append(seconds(took))
                    .append("):\n");
            for (TestOutcome t : tests) {
                sb.append("  ").append(t.status()).append(' ').append(t.name());
                if (t.status() != Status.SKIPPED) {
                    sb.append(" (").append(seconds(t.took())).append(')');
                }
                sb.append('\n');
            }
            if (stageFailure != null) {
                sb.append("  stage failed: ").append(stageFailure).append('\n');
            }
            if (timing != null) {
                sb.append("  ").append(TIMING).append(timing.line(5)).append('\n');
            }
            firstFailure()
                    .ifPresent(f ->
                            sb.append("first failure:\n").append(f.failure()).append('\n'));
            return sb.toString();
        }
    }

    /**
     * Runs {@code stage} (or only its test method named {@code method}, when not null) against the
     * reference in {@code reference}, with {@code REFERENCE_BUG=bug} when {@code bug} is not null.
     */
    public static Outcome run(Path reference, Class<?> stage, String bug, String method) {
        return run(reference, RuntimeSelection.PROCESS, stage, bug, method);
    }

    /** As {@link #run(Path, Class, String, String)} in the runtime {@code runtime} ("process" or "docker"). */
    public static Outcome run(Path reference, String runtime, Class<?> stage, String bug, String method) {
        Warmup.start(); // as a learner's mvn test session does; once per JVM
        Map<String, String> config = new LinkedHashMap<>();
        config.put(Settings.DIR, reference.toString());
        config.put(Settings.RUNTIME, runtime);
        if (bug != null) {
            config.put(Settings.ENV, "REFERENCE_BUG=" + bug);
        }
        Instant start = Instant.now();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(method == null ? selectClass(stage) : selectMethod(stage, declaredMethod(stage, method)))
                .configurationParameters(config)
                .execute();
        Duration took = Duration.between(start, Instant.now());

        List<TestOutcome> tests = new ArrayList<>();
        Map<String, Instant> started = new LinkedHashMap<>();
        Throwable stageFailure = null;
        Report timing = null;
        for (Event event : results.allEvents().list()) {
            TestDescriptor d = event.getTestDescriptor();
            String id = d.getUniqueId().toString();
            if (event.getType() == EventType.REPORTING_ENTRY_PUBLISHED) {
                Map<String, String> entry =
                        event.getRequiredPayload(ReportEntry.class).getKeyValuePairs();
                if (entry.containsKey(Report.ENTRY)) {
                    timing = Report.fromEntry(entry);
                }
            } else if (event.getType() == EventType.STARTED && d.isTest()) {
                started.put(id, event.getTimestamp());
            } else if (event.getType() == EventType.SKIPPED && d.isTest()) {
                tests.add(new TestOutcome(d.getDisplayName(), Status.SKIPPED, Duration.ZERO, null));
            } else if (event.getType() == EventType.SKIPPED) {
                stageFailure = stageFailure != null
                        ? stageFailure
                        : new AssertionError(d.getDisplayName() + " skipped: "
                                + event.getPayload(String.class).orElse("no reason given"));
            } else if (event.getType() == EventType.FINISHED) {
                TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
                if (d.isTest()) {
                    Duration testTook =
                            Duration.between(started.getOrDefault(id, event.getTimestamp()), event.getTimestamp());
                    tests.add(new TestOutcome(
                            d.getDisplayName(),
                            status(result),
                            testTook,
                            result.getThrowable().orElse(null)));
                } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && stageFailure == null) {
                    stageFailure = result.getThrowable()
                            .orElse(new AssertionError(d.getDisplayName() + " " + result.getStatus()));
                }
            }
        }
        return new Outcome(stage, List.copyOf(tests), took, stageFailure, timing);
    }

    private static Method declaredMethod(Class<?> stage, String name) {
        return Arrays.stream(stage.getDeclaredMethods())
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(stage.getSimpleName() + " has no method " + name));
    }

    /** A test aborted (the stage stopped before it) counts as skipped. */
    private static Status status(TestExecutionResult result) {
        return switch (result.getStatus()) {
            case SUCCESSFUL -> Status.PASSED;
            case ABORTED -> Status.SKIPPED;
            case FAILED -> Status.FAILED;
        };
    }

    /** {@code 12.3 s}. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The display names of a stage's tests, in the order the stage declares them, read by running nothing. */
    public static List<String> declaredTests(Class<?> stage) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(stage))
                .discover()
                .getEngineDescriptor()
                .getDescendants()
                .stream()
                .filter(TestDescriptor::isTest)
                .map(TestDescriptor::getDisplayName)
                .collect(Collectors.toList());
    }
}
