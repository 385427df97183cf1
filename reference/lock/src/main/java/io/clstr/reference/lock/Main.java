package io.clstr.reference.lock;

import io.clstr.reference.raft.Config;
import io.clstr.reference.raft.Log;
import java.io.IOException;

/**
 * Entry point of the reference lock node. Configuration comes from the environment (the node
 * contract: {@code ADDR}, {@code PEERS}, {@code ROUTES}, {@code DATA_DIR}; see {@link Config});
 * {@code REFERENCE_BUG} switches on one bug of {@link Bug}. A bad value exits with status 2 and a
 * one-line message.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // Small responses go out at once (no Nagle delay), and a request whose bytes stop
        // arriving (a black-holed connection) is dropped instead of holding a thread forever.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        Bugs bugs;
        Config config;
        try {
            bugs = Bugs.parse(System.getenv("REFERENCE_BUG"));
            config = Config.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException | Config.InvalidConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        bugs.active()
                .ifPresent(
                        bug -> Log.info("REFERENCE_BUG=%s (%s stage): %s", bug.key(), bug.stage(), bug.description()));
        Log.info("starting %s with peers %s, data in %s", config.addr(), config.peers(), config.dataDir());
        LockServer server;
        try {
            server = LockServer.start(config, bugs);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot start node " + config.addr() + ": " + e);
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
        Log.info("listening on port %d", config.port());
    }
}
