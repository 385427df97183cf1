package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.clstr.junit.ServerException;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.LineTail;
import io.clstr.junit.internal.runtime.HealthTry;
import io.clstr.junit.internal.runtime.NodeProcess;
import io.clstr.junit.internal.runtime.NodeSpec;
import io.clstr.junit.internal.timing.Ledger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;

/**
 * One node of a {@link DockerRuntime}: a container of the run's image, created at its first start, at its fixed
 * address on the run's network with its data volume at {@value ContainerSpec#DATA}. Kill, stop, start, pause and
 * resume go through the engine's API (kill and stop unpause first); the port published on 127.0.0.1 is read anew
 * after every start, and the container's output is followed into the run's log across restarts.
 *
 * <p>Lifecycle methods are serialised per node; queries never wait for them.
 */
public final class DockerNode implements NodeProcess {
    private static final Duration HEALTH_REQUEST_TIMEOUT = Duration.ofMillis(250);
    private static final Duration HEALTH_POLL = Duration.ofMillis(50);
    private static final Duration PORT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_CAPACITY = 2000;
    private static final int FAILURE_TAIL_LINES = 20;

    private final DockerRuntime runtime;
    private final DockerClient client;
    private final NodeSpec spec;
    private final String volume;
    private final LineTail log = new LineTail(LOG_CAPACITY);
    private final ContainerOutput output;
    private volatile String containerId;
    private volatile URI uri;
    private volatile ContainerRun run;
    private volatile boolean paused;

    DockerNode(DockerRuntime runtime, NodeSpec spec, String volume) {
        this.runtime = runtime;
        this.client = runtime.client();
        this.spec = spec;
        this.volume = volume;
        this.output = new ContainerOutput(client, this::line);
    }

    /** The node's name, such as {@code n1}. */
    public String name() {
        return spec.name();
    }

    /** {@code http://127.0.0.1:<published port>} of the current (or last) start; null before the first. */
    @Override
    public URI uri() {
        return uri;
    }

    /** The container's id; null before the first start. */
    public String containerId() {
        return containerId;
    }

    /** Starts the container (creating it at the first start) and reads its published port; does not wait for health. */
    @Override
    public synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name() + " is already running");
        }
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.START)) {
            if (containerId == null) {
                containerId = runtime.createContainer(spec, volume);
            }
            ContainerRun next = new ContainerRun();
            client.startContainerCmd(containerId).exec();
            client.waitContainerCmd(containerId).exec(next);
            run = next;
            paused = false;
            output.follow(containerId);
            uri = URI.create("http://127.0.0.1:" + publishedPort());
        } catch (DockerException e) {
            throw new ServerException(
                    "cannot start " + name() + ": " + EngineErrors.message(e), log.tail(FAILURE_TAIL_LINES), e);
        }
    }

    /**
     * Polls {@code GET /health} every 50 ms (each request may take 250 ms) until it answers 200. Throws
     * {@link ServerException} with the node's last log lines if the container exits first or the time runs out.
     */
    @Override
    public void awaitHealthy(Duration timeout) {
        ContainerRun current = run;
        if (current == null) {
            throw new IllegalStateException(name() + " has not been started");
        }
        Deadline deadline = Deadline.in(timeout);
        HealthTry last = null;
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.START)) {
            while (true) {
                if (current.exited()) {
                    output.awaitEnd();
                    throw new ServerException(
                            name() + " exited with code " + exitCodeText(current) + " before becoming healthy",
                            log.tail(FAILURE_TAIL_LINES));
                }
                last = HealthTry.send(uri, HEALTH_REQUEST_TIMEOUT, spec.addr());
                if (last.healthy()) {
                    return;
                }
                long left = deadline.remainingNanos();
                if (left <= 0) {
                    throw new ServerException(
                            name() + " did not answer GET /health with 200 within " + describe(timeout)
                                    + HealthTry.lastTry(last),
                            log.tail(FAILURE_TAIL_LINES));
                }
                current.await(Duration.ofNanos(Math.min(left, HEALTH_POLL.toNanos())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + name() + " to answer GET /health");
        }
    }

    /** Unpauses, then stops the container the engine's way (its stop signal, SIGKILL after {@code grace}). */
    @Override
    public synchronized void stop(Duration grace) {
        if (!isAlive()) {
            return;
        }
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
            unpause();
            int seconds = (int) Math.max(0, (grace.toMillis() + 999) / 1000);
            ignoreNotRunning(() ->
                    client.stopContainerCmd(containerId).withTimeout(seconds).exec());
            ended();
        }
    }

    /** Unpauses, then SIGKILLs the container; returns once it has ended. */
    @Override
    public synchronized void kill() {
        if (!isAlive()) {
            return;
        }
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
            unpause();
            ignoreNotRunning(() -> client.killContainerCmd(containerId).exec());
            ended();
        }
    }

    /** Freezes every process of the container (the engine's pause); its sockets stay open. */
    @Override
    public synchronized void pause() {
        requireStarted();
        if (isAlive() && !paused) {
            try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
                client.pauseContainerCmd(containerId).exec();
            }
            paused = true;
        }
    }

    /** Thaws the container. */
    @Override
    public synchronized void resume() {
        requireStarted();
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
            unpause();
        }
    }

    /** True from a start until the container's process ends, paused or not. */
    @Override
    public boolean isAlive() {
        ContainerRun current = run;
        return current != null && !current.exited();
    }

    /** True between {@link #pause()} and {@link #resume()} (or the node's end). */
    public boolean isPaused() {
        return paused && isAlive();
    }

    @Override
    public List<String> logTail(int lines) {
        return log.tail(lines);
    }

    /** The engine's view of the container (state, address, ports); for tests and diagnostics. */
    public InspectContainerResponse inspect() {
        requireStarted();
        return client.inspectContainerCmd(containerId).exec();
    }

    /** Stops following the container; the runtime removes it. */
    void release() {
        ContainerRun current = run;
        if (current != null) {
            current.release();
        }
        output.awaitEnd();
    }

    @Override
    public String toString() {
        return "DockerNode[" + name() + " " + spec.addr() + " " + uri + "]";
    }

    private void line(String text) {
        log.add(text);
        runtime.output().line(name(), text);
    }

    /** The published port, which the engine shows once the container runs. */
    private int publishedPort() {
        Deadline deadline = Deadline.in(PORT_TIMEOUT);
        List<String> seen = new ArrayList<>();
        while (!deadline.passed()) {
            InspectContainerResponse state =
                    client.inspectContainerCmd(containerId).exec();
            OptionalInt port = ContainerSpec.publishedPort(state, spec.port());
            if (port.isPresent()) {
                return port.getAsInt();
            }
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                throw new ServerException(
                        name() + " exited with code " + state.getState().getExitCodeLong() + " right after it started",
                        log.tail(FAILURE_TAIL_LINES));
            }
            seen.add(String.valueOf(state.getNetworkSettings().getPorts()));
            try {
                run.await(HEALTH_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while reading the published port of " + name());
            }
        }
        throw new ServerException(
                "the engine published no port for " + name() + " within "
                        + PORT_TIMEOUT.toSeconds() + " s (ports: "
                        + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1))
                        + ")",
                log.tail(FAILURE_TAIL_LINES));
    }

    private void unpause() {
        if (paused) {
            ignoreNotRunning(() -> client.unpauseContainerCmd(containerId).exec());
            paused = false;
        }
    }

    /** Waits until the engine reports the end of the current start, and for its last output. */
    private void ended() {
        ContainerRun current = run;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!current.await(EXIT_TIMEOUT)) {
                        throw new IllegalStateException(
                                name() + " did not end within " + EXIT_TIMEOUT.toSeconds() + " s of being stopped");
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        output.awaitEnd();
        paused = false;
    }

    private void requireStarted() {
        if (containerId == null) {
            throw new IllegalStateException(name() + " has not been started");
        }
    }

    /** {@code 10 s}, {@code 1.5 s}, {@code 250 ms}. */
    private static String describe(Duration d) {
        long millis = d.toMillis();
        return millis < 1000 ? millis + " ms" : millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    private static String exitCodeText(ContainerRun run) {
        return run.exitCode().isPresent() ? Long.toString(run.exitCode().getAsLong()) : "unknown";
    }

    /** Runs an engine call that fails harmlessly when the container already ended. */
    private static void ignoreNotRunning(Runnable call) {
        try {
            call.run();
        } catch (ConflictException | NotFoundException e) {
            // the container is not running (any more): the wait reports its end
        }
    }

    /** The node's environment as the engine takes it. */
    static List<String> env(Map<String, String> env) {
        List<String> list = new ArrayList<>();
        env.forEach((k, v) -> list.add(k + "=" + v));
        return list;
    }
}
