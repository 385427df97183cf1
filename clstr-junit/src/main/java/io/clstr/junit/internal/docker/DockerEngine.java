package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import io.clstr.junit.SetupException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

/**
 * The Docker engine clstr talks to, found the way Testcontainers finds one ({@code DOCKER_HOST},
 * {@code ~/.testcontainers.properties}, the local socket...). It is used without Testcontainers'
 * {@code DockerClientFactory}, so Ryuk never starts and no image is pulled to find the host (the effect of
 * {@code TESTCONTAINERS_RYUK_DISABLED=true} and {@code TESTCONTAINERS_HOST_OVERRIDE=localhost}, without
 * exporting them): clstr removes what it created itself, by label, and reaches containers only through
 * ports published on 127.0.0.1. The engine must run on this machine. Looked up once per JVM.
 */
public final class DockerEngine {
    private static final Object LOCK = new Object();
    /** Guarded by {@link #LOCK}: the engine, once found. */
    private static DockerEngine found;
    /** Guarded by {@link #LOCK}: why no engine answered, once that is known. */
    private static String failure;

    private final DockerClient client;
    private final String version;

    private DockerEngine(DockerClient client, String version) {
        this.client = client;
        this.version = version;
    }

    /** The engine, or empty when none answers (the reason is in {@link #unavailableReason()}). */
    public static Optional<DockerEngine> find() {
        synchronized (LOCK) {
            if (found == null && failure == null) {
                probe();
            }
            return Optional.ofNullable(found);
        }
    }

    /** True when an engine answers. */
    public static boolean answers() {
        return find().isPresent();
    }

    /** Why no engine answers, or empty when one does. */
    public static Optional<String> unavailableReason() {
        synchronized (LOCK) {
            find();
            return Optional.ofNullable(failure);
        }
    }

    /** The engine; throws {@link SetupException} (exit 2) saying what to do when none answers. */
    public static DockerEngine require() {
        return find().orElseThrow(() -> new SetupException("no Docker engine answers (" + failure + "): start one,"
                + " or use the process runtime: --runtime process (-Dclstr.runtime=process)"));
    }

    private static void probe() {
        List<DockerClientProviderStrategy> strategies = new ArrayList<>();
        ServiceLoader.load(DockerClientProviderStrategy.class).forEach(strategies::add);
        try {
            DockerClientProviderStrategy strategy = DockerClientProviderStrategy.getFirstValidStrategy(strategies);
            DockerClient client = strategy.getDockerClient();
            found = new DockerEngine(client, client.versionCmd().exec().getVersion());
        } catch (RuntimeException e) {
            String host = System.getenv("DOCKER_HOST");
            failure = "nothing answers at " + (host == null || host.isBlank() ? "/var/run/docker.sock" : host);
        }
    }

    /** The docker-java client; shared, never closed. */
    public DockerClient client() {
        return client;
    }

    /** The engine's version, such as {@code 20.10.24}. */
    public String version() {
        return version;
    }
}
