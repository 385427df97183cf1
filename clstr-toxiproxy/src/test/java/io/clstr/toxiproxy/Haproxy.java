package io.clstr.toxiproxy;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * haproxy in mode tcp with one thread, forwarding a loopback port to a backend port: the
 * reference the proxy benchmark holds the embedded proxy to. Started from a generated
 * configuration in a temporary folder and stopped (SIGTERM) on close.
 */
final class Haproxy implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path folder;

    private Haproxy(Process process, int port, Path folder) {
        this.process = process;
        this.port = port;
        this.folder = folder;
    }

    /**
     * Starts haproxy in front of {@code backendPort} and waits until it accepts connections; returns
     * null, having said so on {@code out}, when haproxy is not on the PATH.
     */
    static Haproxy start(int backendPort, PrintStream out) throws IOException, InterruptedException {
        if (!onPath()) {
            out.println("haproxy not found on PATH: the haproxy rounds are skipped (apt-get install haproxy)");
            return null;
        }
        int port = freePort();
        Path folder = Files.createTempDirectory("clstr-bench-haproxy");
        Path config = folder.resolve("haproxy.cfg");
        Path log = folder.resolve("haproxy.log");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global",
                        "    nbthread 1",
                        "    maxconn 1000",
                        "defaults",
                        "    mode tcp",
                        "    timeout connect 5s",
                        "    timeout client 1m",
                        "    timeout server 1m",
                        "listen bench",
                        "    bind 127.0.0.1:" + port,
                        "    server backend 127.0.0.1:" + backendPort,
                        ""),
                StandardCharsets.US_ASCII);
        Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Haproxy haproxy = new Haproxy(process, port, folder);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!haproxy.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String said = Files.readString(log, StandardCharsets.UTF_8);
                haproxy.close();
                throw new IOException("haproxy -f " + config + " did not start listening on 127.0.0.1:" + port
                        + (process.isAlive() ? " within 10 s" : " (exit " + process.exitValue() + ")") + ":\n"
                        + said);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return haproxy;
    }

    int port() {
        return port;
    }

    /** The CPU time haproxy's process has used so far (the kernel's count, in clock ticks of 10 ms here). */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath() {
        String path = System.getenv("PATH");
        return path != null
                && List.of(path.split(File.pathSeparator)).stream()
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "haproxy")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(folder);
    }
}
