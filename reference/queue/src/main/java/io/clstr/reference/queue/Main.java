package io.clstr.reference.queue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Entry point of the reference queue node: {@code ADDR} (host:port; it listens on the port),
 * {@code DATA_DIR} (absolute, survives restarts) and {@code REFERENCE_BUG} (optional, one bug of
 * {@link Bug}). A bad value exits with status 2 and a one-line message.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Bugs bugs;
        int port;
        Path dataDir;
        try {
            bugs = Bugs.parse(System.getenv("REFERENCE_BUG"));
            port = port(System.getenv("ADDR"));
            dataDir = dataDir(System.getenv("DATA_DIR"));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        bugs.active()
                .ifPresent(
                        bug -> Log.info("REFERENCE_BUG=%s (%s stage): %s", bug.key(), bug.stage(), bug.description()));
        QueueServer server;
        try {
            server = QueueServer.start(port, dataDir, bugs);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot start on port " + port + ": " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            Log.info("stopping");
                            server.close();
                            Log.info("stopped");
                        },
                        "shutdown"));
        Log.info("listening on port %d, data in %s", port, dataDir);
    }

    private static int port(String addr) {
        if (addr == null || addr.isBlank()) {
            throw new IllegalArgumentException("ADDR is not set: give this node's identity as host:port");
        }
        int colon = addr.lastIndexOf(':');
        try {
            int port = Integer.parseInt(addr.substring(colon + 1).trim());
            if (colon > 0 && port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("ADDR '" + addr + "' is not host:port");
    }

    private static Path dataDir(String dir) {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("DATA_DIR is not set: give a directory that survives restarts");
        }
        Path path = Path.of(dir.trim());
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("DATA_DIR must be an absolute path, was '" + dir + "'");
        }
        return path;
    }
}
