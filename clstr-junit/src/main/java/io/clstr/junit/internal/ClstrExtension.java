package io.clstr.junit.internal;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.NodeState;
import io.clstr.junit.SetupException;
import io.clstr.junit.Stage;
import io.clstr.junit.internal.config.ClstrYaml;
import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.docker.DockerOptions;
import io.clstr.junit.internal.docker.RuntimeSelection;
import io.clstr.junit.internal.runtime.PortRange;
import io.clstr.junit.internal.runtime.ProcessRuntime;
import io.clstr.junit.internal.timing.Ledger;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 extension behind {@link ClstrCluster}: one cluster per stage class, started
 * before the first test and closed with the class's {@link ExtensionContext.Store}; tests
 * after the first failing one are skipped; {@link Cluster} and {@link Node} parameters
 * are injected. Holds no state of its own.
 */
public final class ClstrExtension
        implements BeforeAllCallback,
                BeforeEachCallback,
                AfterTestExecutionCallback,
                ExecutionCondition,
                ParameterResolver,
                TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClstrExtension.class);
    private static final String CLUSTER = "cluster";
    /** Where the stage's time went ({@link Ledger}); stored before the cluster, so closed after it. */
    private static final String TIMING = "timing";
    /** In a test's store: the test as a part of the stage's time, ended with the test. */
    private static final String TEST_PART = "test-part";
    /** In the root store: the build command ran (for a folder and command) in this run. */
    private static final String BUILT = "built";

    private static final String FAILED = "failed-test";
    /** A {@link Node} parameter named like a node ({@code n1}…) gets that node. */
    private static final Pattern NODE_NAME = Pattern.compile("n\\d+");

    private static final int TAIL_LINES = 15;

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> stageClass = context.getRequiredTestClass();
        ClstrCluster spec = AnnotationSupport.findAnnotation(stageClass, ClstrCluster.class)
                .orElseThrow(() -> new ExtensionConfigurationException(
                        stageClass.getName() + " uses ClstrExtension without @ClstrCluster"));
        context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        TIMING, k -> new StageTiming(Ledger.open(stageName(context)), context), StageTiming.class);
        context.getStore(NAMESPACE).getOrComputeIfAbsent(CLUSTER, k -> startCluster(context, spec), Cluster.class);
        try (Ledger.Span timed = Ledger.part("warm-up")) {
            Warmup.await(); // it ran beside the cluster's start; the tests run alone
        }
    }

    private static Cluster startCluster(ExtensionContext context, ClstrCluster spec) {
        Configured configured;
        try (Ledger.Span timed = Ledger.part("configuration")) {
            configured = configure(context, spec);
        }
        Cluster cluster = configured.builder().start();
        if (configured.buildKey() != null) {
            context.getRoot().getStore(NAMESPACE).put(configured.buildKey(), Boolean.TRUE);
        }
        return cluster;
    }

    /** A cluster's configuration, and the key that marks its build command done in this run (null: none ran). */
    private record Configured(Cluster.Builder builder, String buildKey) {}

    private static Configured configure(ExtensionContext context, ClstrCluster spec) {
        Path folder = context.getConfigurationParameter(Settings.DIR)
                .map(Path::of)
                .orElse(Path.of(""))
                .toAbsolutePath()
                .normalize();
        Optional<ClstrYaml> yaml =
                Files.exists(folder.resolve(ClstrYaml.FILE)) ? Optional.of(ClstrYaml.read(folder)) : Optional.empty();
        String run = context.getConfigurationParameter(Settings.RUN)
                .orElse(yaml.map(ClstrYaml::run).orElse(null));
        String runtime = RuntimeSelection.resolve(
                context.getConfigurationParameter(Settings.RUNTIME)
                        .orElse(yaml.map(ClstrYaml::runtime).orElse(RuntimeSelection.AUTO)),
                folder,
                run != null);
        boolean docker = runtime.equals(RuntimeSelection.DOCKER);
        if (run == null && !docker) {
            throw new SetupException(
                    yaml.isPresent()
                            ? "add a `run:` command to " + folder.resolve(ClstrYaml.FILE)
                                    + " (it starts one node of your server)"
                            : "no " + ClstrYaml.FILE + " in " + folder
                                    + ": run the stages in a challenge folder (or set " + Settings.DIR + ")");
        }
        String build = context.getConfigurationParameter(Settings.BUILD)
                .orElse(yaml.map(ClstrYaml::build).orElse(null));
        // one build per run: a later stage of the same run (the same launcher execution) starts
        // without it; the docker runtime builds its image instead
        ExtensionContext.Store thisRun = context.getRoot().getStore(NAMESPACE);
        String builtKey = BUILT + "\n" + folder + "\n" + build;
        if (docker || thisRun.get(builtKey) != null) {
            build = null;
        }
        long seed = context.getConfigurationParameter(Settings.SEED)
                .map(ClstrExtension::parseSeed)
                .orElseGet(() -> new Random().nextLong());
        Cluster.Builder builder = Cluster.builder(folder)
                .name(stageName(context))
                .runtime(docker ? Cluster.RuntimeKind.DOCKER : Cluster.RuntimeKind.PROCESS)
                .docker(docker ? DockerOptions.from(context::getConfigurationParameter) : DockerOptions.defaults())
                .nodes(spec.nodes())
                .spares(spec.spares())
                .run(run)
                .build(build)
                .buildTimeout(yaml.map(ClstrYaml::buildTimeout).orElse(ProcessRuntime.DEFAULT_BUILD_TIMEOUT))
                .env(env(context, yaml))
                .requestTimeout(Duration.ofMillis(spec.requestTimeoutMillis()))
                .settle(Duration.ofMillis(spec.settleMillis()))
                .healthTimeout(Duration.ofMillis(spec.healthTimeoutMillis()))
                .seed(seed);
        context.getConfigurationParameter(Settings.PORTS).map(PortRange::parse).ifPresent(builder::ports);
        return new Configured(builder, build != null ? builtKey : null);
    }

    private static String stageName(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), Stage.class)
                .map(Stage::key)
                .orElse(context.getRequiredTestClass().getSimpleName());
    }

    private static Map<String, String> env(ExtensionContext context, Optional<ClstrYaml> yaml) {
        Map<String, String> env = new LinkedHashMap<>(yaml.map(ClstrYaml::env).orElse(Map.of()));
        context.getConfigurationParameter(Settings.ENV).ifPresent(text -> {
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new SetupException(Settings.ENV + " must be NAME=value[,NAME=value], was `" + text + "`");
                }
                env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            }
        });
        return env;
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new SetupException("the seed must be a whole number, was `" + text + "`");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(TEST_PART, Ledger.part("test \"" + context.getDisplayName() + "\""));
        ClusterAccess.log(cluster(context)).event("TEST: " + context.getDisplayName());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            context.getParent().orElseThrow().getStore(NAMESPACE).put(FAILED, context.getDisplayName());
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("stage class");
        }
        Optional<String> only = context.getConfigurationParameter(Settings.ONLY).filter(s -> !s.isBlank());
        if (only.isPresent()
                && !OnlySelection.methods(context.getRequiredTestClass(), only.get())
                        .contains(context.getRequiredTestMethod())) {
            return ConditionEvaluationResult.disabled(
                    "not selected: " + Settings.ONLY + " runs \"" + only.get() + "\" and the tests it depends on");
        }
        String failed = context.getStore(NAMESPACE).get(FAILED, String.class);
        return failed == null
                ? ConditionEvaluationResult.enabled("no earlier test failed")
                : ConditionEvaluationResult.disabled("skipped: an earlier test failed (" + failed + ")");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Cluster.class || type == Node.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Cluster cluster = cluster(extensionContext);
        Parameter parameter = parameterContext.getParameter();
        if (parameter.getType() == Cluster.class) {
            return cluster;
        }
        List<Node> nodes = cluster.nodes();
        if (parameter.isNamePresent() && NODE_NAME.matcher(parameter.getName()).matches()) {
            return cluster.node(parameter.getName());
        }
        if (nodes.size() == 1) {
            return nodes.get(0);
        }
        throw new ExtensionConfigurationException("can inject a Node parameter only into a one-node cluster or as a "
                + "parameter named n1…n" + nodes.size() + " (compiled with -parameters), but found `"
                + parameter.getName() + "` in a " + nodes.size() + "-node cluster; inject Cluster and call node(n)");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (!(throwable instanceof AssertionError failure)) {
            throw throwable;
        }
        Cluster cluster = cluster(context);
        StringBuilder message = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Node node : cluster.nodes()) {
            if (node.state() == NodeState.NEW || !message.toString().contains(node.name())) {
                continue;
            }
            List<String> tail = node.logTail(TAIL_LINES);
            if (!tail.isEmpty()) {
                message.append("\n\nLast ")
                        .append(tail.size())
                        .append(" log lines of ")
                        .append(node.name())
                        .append(':');
                tail.forEach(line -> message.append("\n  ").append(line));
            }
        }
        message.append("\n\nEach node's DATA_DIR is kept until this stage runs again: .clstr/data/")
                .append(cluster.dataRoot().getFileName())
                .append("/<node> (")
                .append(cluster.dataRoot())
                .append(')');
        message.append("\n\nSeed: ")
                .append(cluster.seed())
                .append(" (rerun with --seed ")
                .append(cluster.seed())
                .append(" or -D")
                .append(Settings.SEED)
                .append('=')
                .append(cluster.seed())
                .append("; it replays clstr's choices, not your server's timing)");
        AssertionFailedError enriched = failure instanceof AssertionFailedError afe && afe.isExpectedDefined()
                ? new AssertionFailedError(message.toString(), afe.getExpected(), afe.getActual(), failure.getCause())
                : new AssertionFailedError(message.toString(), failure.getCause());
        enriched.setStackTrace(failure.getStackTrace());
        throw enriched;
    }

    private static Cluster cluster(ExtensionContext context) {
        Cluster cluster = context.getStore(NAMESPACE).get(CLUSTER, Cluster.class);
        if (cluster == null) {
            throw new ExtensionConfigurationException(
                    "no cluster for " + context.getDisplayName() + ": is the class annotated with @ClstrCluster?");
        }
        return cluster;
    }
}
