package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables Docker tests where an engine answers and {@code clstr/java:17} (made by {@code .ci/docker-images}) is
 * there; otherwise disables them with the reason, which it also prints so that a skipped run is visible.
 */
public final class DockerAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = missing();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("a Docker engine answers");
        }
        String reason = "Docker tests skipped: " + missing.get();
        if (context.getTestMethod().isEmpty()) {
            System.out.println("[" + context.getDisplayName() + "] " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Why Docker tests cannot run here, or empty when they can. */
    public static Optional<String> missing() {
        Optional<DockerEngine> engine = DockerEngine.find();
        if (engine.isEmpty()) {
            return Optional.of("no Docker engine answers ("
                    + DockerEngine.unavailableReason().orElse("?") + "); start one with .ci/docker-setup");
        }
        try {
            engine.get().client().inspectImageCmd(ToxiproxyImage.BASE).exec();
            return Optional.empty();
        } catch (NotFoundException e) {
            return Optional.of(
                    "the base image " + ToxiproxyImage.BASE + " is missing; build it with .ci/docker-images");
        }
    }
}
