package io.clstr.reference.kv;

import io.clstr.reference.raft.RaftNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A reference node running as a child process, as clstr's process runtime would run it. */
final class NodeProcess implements AutoCloseable {

    /** The nodes' JVM options, as clstr.yaml's run command gives them: the java launcher's argument file. */
    static final List<String> JVM_OPTIONS =
            List.of("@" + Path.of("node.options").toAbsolutePath());

    /**
     * clstr waits 10 s by default; a node needs about 0.5 s of CPU to start, but five starting
     * together on a busy two-core machine can take longer, and this self-test is not about that.
     */
    static final long HEALTH_TIMEOUT_SECONDS = 30;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    final String name;
    final int port;
    final Path dataDir;
    final Path logFile;
    private final Map<String, String> env;
    private Process process;

    NodeProcess(String name, int port, List<String> peerRoutes, Path workDir, String bug) throws IOException {
        this(name, port, peerRoutes, workDir, bug, Map.of());
    }

    /** As the other constructor, with {@code extraEnv} added to the node's environment. */
    NodeProcess(String name, int port, List<String> peerRoutes, Path workDir, String bug, Map<String, String> extraEnv)
            throws IOException {
        this.name = name;
        this.port = port;
        this.dataDir = workDir.resolve(name).resolve("data");
        this.logFile = workDir.resolve(name + ".log");
        Files.createDirectories(dataDir);
        env = new LinkedHashMap<>();
        env.put("ADDR", addr());
        env.put("PEERS", String.join(",", peerRoutes));
        env.put("DATA_DIR", dataDir.toString());
        if (bug != null) {
            env.put("REFERENCE_BUG", bug);
        }
        env.putAll(extraEnv);
    }

    String addr() {
        return "127.0.0.1:" + port;
    }

    /** Starts the process; does not wait for health. */
    NodeProcess launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("REFERENCE_BUG");
        builder.environment().remove(RaftNode.SNAPSHOT_INTERVAL_ENV);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = builder.start();
        return this;
    }

    /** Starts the process and waits until {@code GET /health} answers 200. */
    NodeProcess start() throws IOException, InterruptedException {
        launch();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HEALTH_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(
                name + " did not become healthy within " + HEALTH_TIMEOUT_SECONDS + " s:\n" + log());
    }

    /** SIGKILL: a crash. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM: a graceful stop. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    Process process() {
        return process;
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return send("PUT", path, body);
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + addr() + path))
                .timeout(Duration.ofSeconds(2))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "(no output)";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static Path workDir(String testName) throws IOException {
        Path dir = Path.of("target", "node-runs", testName + "-" + System.nanoTime())
                .toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }
}
