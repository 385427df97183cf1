package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.LineTail;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The Toxiproxy server of one run: a container at the subnet's .2 on the run's network, reaching the nodes at
 * their addresses there, its API ({@value #API_PORT}) published on 127.0.0.1 for the fabric's client. Its
 * output goes to the run's log like a node's.
 */
final class ToxiproxyContainer implements AutoCloseable {
    static final int API_PORT = 8474;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();
    private static final int TAIL_LINES = 20;

    private final DockerClient client;
    private final String id;
    private final String image;
    private final LineTail tail = new LineTail(TAIL_LINES);
    private final ContainerOutput output;
    private volatile int apiPort;

    private ToxiproxyContainer(DockerClient client, String id, String image, Consumer<String> lines) {
        this.client = client;
        this.id = id;
        this.image = image;
        this.output = new ContainerOutput(client, line -> {
            tail.add(line);
            lines.accept(line);
        });
    }

    /** Creates and starts the container and waits until its API answers; removes it again if it does not. */
    static ToxiproxyContainer start(
            DockerClient client,
            String image,
            String network,
            Subnet subnet,
            RunLabels labels,
            long seed,
            Consumer<String> lines) {
        ContainerSpec spec = new ContainerSpec(
                labels.name("toxiproxy"),
                image,
                network,
                subnet.toxiproxy(),
                API_PORT,
                List.of(),
                List.of("-host=0.0.0.0", "-port=" + API_PORT, "-seed=" + seed),
                null,
                labels.labels());
        ToxiproxyContainer container = new ToxiproxyContainer(client, spec.create(client), image, lines);
        try {
            container.startAndAwaitApi();
            return container;
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
    }

    /** The API's port on 127.0.0.1. */
    int apiPort() {
        return apiPort;
    }

    /** The image it runs. */
    String image() {
        return image;
    }

    private void startAndAwaitApi() {
        client.startContainerCmd(id).exec();
        output.follow(id);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(500))
                .build();
        Deadline deadline = Deadline.in(READY_TIMEOUT);
        while (!deadline.passed()) {
            InspectContainerResponse state = client.inspectContainerCmd(id).exec();
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                output.awaitEnd();
                throw new SetupException(
                        "the Toxiproxy container (" + image + ") exited with code "
                                + state.getState().getExitCodeLong(),
                        tail.tail(TAIL_LINES),
                        null);
            }
            OptionalInt port = ContainerSpec.publishedPort(state, API_PORT);
            if (port.isPresent() && answers(http, port.getAsInt())) {
                apiPort = port.getAsInt();
                return;
            }
            deadline.pause(Duration.ofNanos(POLL_NANOS), "the Toxiproxy container");
        }
        throw new SetupException(
                "the Toxiproxy container (" + image + ") did not answer GET /version within "
                        + READY_TIMEOUT.toSeconds() + " s",
                tail.tail(TAIL_LINES),
                null);
    }

    private static boolean answers(HttpClient http, int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version"))
                .timeout(Duration.ofMillis(500))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Removes the container; idempotent. */
    @Override
    public void close() {
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException | ConflictException e) {
            // gone already, or being removed by the runtime's cleanup
        }
        output.awaitEnd();
    }
}
