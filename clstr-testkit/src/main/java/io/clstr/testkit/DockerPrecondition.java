package io.clstr.testkit;

import com.github.dockerjava.api.exception.NotFoundException;
import io.clstr.junit.internal.docker.DockerEngine;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Whether the docker runtime can be tested here: an engine that answers and the local base image. */
public final class DockerPrecondition {

    private DockerPrecondition() {}

    /**
     * Aborts the calling test (JUnit assumption), printing why, unless a Docker engine answers and
     * has {@code baseImage} (such as {@code clstr/java:17}, made by {@code .ci/docker-images}).
     */
    public static void assumeEngineAndImage(String baseImage) {
        Optional<String> missing = DockerEngine.find().isEmpty()
                ? Optional.of("no Docker engine answers ("
                        + DockerEngine.unavailableReason().orElse("?") + ")")
                : imageMissing(baseImage);
        missing.ifPresent(reason -> System.out.println("docker runtime not tested: " + reason));
        Assumptions.assumeTrue(missing.isEmpty(), () -> "docker runtime not tested here: " + missing.orElseThrow());
    }

    private static Optional<String> imageMissing(String image) {
        try {
            DockerEngine.require().client().inspectImageCmd(image).exec();
            return Optional.empty();
        } catch (NotFoundException e) {
            return Optional.of("the base image " + image + " is missing; build it with .ci/docker-images");
        }
    }
}
