package io.clstr.junit.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clstr.junit.testnode.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A process runtime over a temporary challenge folder, with claimed ports and helpers to talk to its nodes. */
final class Fixture implements AutoCloseable {
    /** Generous: a TestNode JVM may take seconds to start on a loaded 2-core machine. */
    static final Duration STARTUP = Duration.ofSeconds(60);

    static final PortRange TEST_PORTS = new PortRange(31000, 31999);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    final Path folder;
    final PortLease ports;
    final ProcessRuntime runtime;
    final List<String> output = Collections.synchronizedList(new ArrayList<>());

    Fixture(Path folder, int nodes) {
        this(folder, nodes, null, TestNodes.command(), ProcessRuntime.DEFAULT_GRACE);
    }

    Fixture(Path folder, int nodes, String build, String run, Duration grace) {
        this.folder = folder;
        this.ports = PortLease.claim(nodes, TEST_PORTS);
        this.runtime = new ProcessRuntime(folder, build, run, (node, line) -> output.add(node + ": " + line), grace);
    }

    /** Node {@code n<i>} with the node contract for a one-node cluster plus {@code extraEnv}. */
    ProcessNode node(int i, Map<String, String> extraEnv) {
        String name = "n" + i;
        int port = ports.ports().get(i - 1);
        Path data = runtime.freshDataDir(name);
        Map<String, String> env = new HashMap<>();
        env.put("ADDR", "127.0.0.1:" + port);
        env.put("PEERS", "");
        env.put("ROUTES", "");
        env.put("DATA_DIR", data.toString());
        env.putAll(extraEnv);
        return runtime.create(new NodeSpec(name, "127.0.0.1:" + port, port, data, env));
    }

    ProcessNode started(int i, Map<String, String> extraEnv) {
        ProcessNode node = node(i, extraEnv);
        node.start();
        node.awaitHealthy(STARTUP);
        return node;
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            ports.close();
        }
    }

    static HttpResponse<String> send(URI base, String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(ProcessNode node, String path) throws IOException, InterruptedException {
        return send(node.uri(), "GET", path, null, Duration.ofSeconds(5));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A node's run command that first starts a process outside the node's process group (its own setsid),
     * which writes its pid to {@code escaped.pid} in the working folder and sleeps.
     */
    static String escapingRun() {
        return "setsid sh -c 'echo $$ > escaped.pid; exec sleep 300' & " + TestNodes.command();
    }

    /** The pid that the escaped process of {@link #escapingRun()} wrote to {@code folder}, once it has; -1 if never. */
    static long escapedPid(Path folder) throws InterruptedException {
        Path file = folder.resolve("escaped.pid");
        long[] pid = {-1};
        eventually(STARTUP, () -> {
            try {
                String text = Files.readString(file).trim();
                pid[0] = text.matches("\\d+") ? Long.parseLong(text) : -1;
            } catch (IOException e) {
                pid[0] = -1;
            }
            return pid[0] > 0;
        });
        return pid[0];
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
