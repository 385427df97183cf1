package io.clstr.reference.raft;

import java.io.IOException;

/**
 * The entry point every reference shares: configuration from the environment (the node contract:
 * {@code ADDR}, {@code PEERS}, {@code ROUTES}, {@code DATA_DIR}; see {@link Config}),
 * {@code REFERENCE_BUG} switching on one bug, a server started on them and closed on SIGTERM. A bad
 * value exits with status 2 and a one-line message; a node that cannot start exits with 1.
 */
public final class ReferenceNode {

    /** Starts a reference's server; what it returns is closed at shutdown. */
    @FunctionalInterface
    public interface Server<B extends Enum<B> & ReferenceBug> {
        AutoCloseable start(Config config, BugSwitch<B> bugs) throws IOException;
    }

    private ReferenceNode() {}

    /** Runs a node of the reference whose bugs are {@code bugs}, served by {@code server}. */
    public static <B extends Enum<B> & ReferenceBug> void run(Class<B> bugs, Server<B> server) {
        // Small responses go out at once (no Nagle delay), and a request whose bytes stop
        // arriving (a black-holed connection) is dropped instead of holding a thread forever.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        BugSwitch<B> active;
        Config config;
        try {
            active = BugSwitch.parse(bugs, System.getenv("REFERENCE_BUG"));
            config = Config.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException | Config.InvalidConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        active.active()
                .ifPresent(
                        bug -> Log.info("REFERENCE_BUG=%s (%s stage): %s", bug.key(), bug.stage(), bug.description()));
        Log.info("starting %s with peers %s, data in %s", config.addr(), config.peers(), config.dataDir());
        AutoCloseable running;
        try {
            running = server.start(config, active);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot start node " + config.addr() + ": " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            Log.info("stopping");
                            try {
                                running.close();
                            } catch (Exception e) {
                                Log.info("stopping: %s", e);
                            }
                            Log.info("stopped");
                        },
                        "shutdown"));
        Log.info("listening on port %d", config.port());
    }
}
