package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.github.dockerjava.api.exception.NotFoundException;
import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.docker.DockerEngine;
import io.clstr.junit.internal.docker.RuntimeSelection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Every stage passes against the reference solution in the docker runtime, end to end: the image built from
 * reference/kv-store's Dockerfile, one container per node, faults through the Toxiproxy container. Skipped,
 * with the reason printed, where no Docker engine answers or the base image {@code clstr/java:17} (made by
 * {@code .ci/docker-images}) is missing.
 */
class DockerReferenceTest {
    private static final String BASE_IMAGE = "clstr/java:17";

    static Stream<Named<Class<?>>> stages() {
        return new KvStoreChallenge()
                .stages().stream().map(s -> Named.of(StageInfo.of(s).key(), s));
    }

    @BeforeAll
    static void needsDocker() {
        Optional<String> missing = DockerEngine.find().isEmpty()
                ? Optional.of("no Docker engine answers ("
                        + DockerEngine.unavailableReason().orElse("?") + ")")
                : baseImageMissing();
        missing.ifPresent(reason -> System.out.println("DockerReferenceTest skipped: " + reason));
        Assumptions.assumeTrue(missing.isEmpty(), () -> "docker runtime not tested here: " + missing.orElseThrow());
    }

    private static Optional<String> baseImageMissing() {
        try {
            DockerEngine.require().client().inspectImageCmd(BASE_IMAGE).exec();
            return Optional.empty();
        } catch (NotFoundException e) {
            return Optional.of("the base image " + BASE_IMAGE + " is missing; build it with .ci/docker-images");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void referencePassesStageInTheDockerRuntime(Class<?> stage) {
        Instant start = Instant.now();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(stage))
                .configurationParameters(Map.of(
                        Settings.DIR, StageRun.referenceFolder().toString(), Settings.RUNTIME, RuntimeSelection.DOCKER))
                .execute();
        Duration took = Duration.between(start, Instant.now());
        String report = report(stage, results, took);
        System.out.print(report);

        List<String> declared = StageRun.declaredTests(stage);
        assertThat(results.containerEvents().failed().count()).as(report).isZero();
        assertThat(results.testEvents().succeeded().stream()
                        .map(e -> e.getTestDescriptor().getDisplayName()))
                .as(report)
                .containsExactlyElementsOf(declared);
    }

    /** One line per test (docker, the stage's wall time), then every failure. */
    private static String report(Class<?> stage, EngineExecutionResults results, Duration took) {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT, "docker %s (%.1f s):%n", StageInfo.of(stage).key(), took.toMillis() / 1000.0));
        results.testEvents().finished().stream().forEach(e -> sb.append("  ")
                .append(e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .map(r -> r.getStatus().toString())
                        .orElse("?"))
                .append(' ')
                .append(e.getTestDescriptor().getDisplayName())
                .append('\n'));
        results.testEvents().skipped().stream().forEach(e -> sb.append("  SKIPPED ")
                .append(e.getTestDescriptor().getDisplayName())
                .append('\n'));
        String failures = Stream.concat(
                        results.containerEvents().failed().stream(), results.testEvents().failed().stream())
                .map(DockerReferenceTest::failure)
                .collect(Collectors.joining("\n"));
        return failures.isEmpty()
                ? sb.toString()
                : sb.append("failures:\n").append(failures).append('\n').toString();
    }

    private static String failure(Event event) {
        return event.getTestDescriptor().getDisplayName() + ": "
                + event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::toString)
                        .orElse("no cause given");
    }
}
