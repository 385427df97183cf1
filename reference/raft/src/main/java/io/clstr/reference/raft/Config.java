package io.clstr.reference.raft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node contract, read from the environment.
 *
 * <ul>
 *   <li>{@code ADDR}: this node's identity ({@code host:port}); the node listens on its port on
 *       all interfaces. Votes, leader ids and redirects use it.</li>
 *   <li>{@code PEERS}: comma-separated routes to the other initial members, in node order; empty
 *       for a single node. Routes are only how to reach a peer, never its identity.</li>
 *   <li>{@code ROUTES}: optional comma-separated {@code identity=route} pairs for every node the
 *       test may start.</li>
 *   <li>{@code DATA_DIR}: absolute directory that survives restarts.</li>
 * </ul>
 */
public record Config(String addr, int port, List<String> peers, Map<String, String> routes, Path dataDir) {

    /** Thrown when the environment does not describe a valid node; the message says what to fix. */
    public static final class InvalidConfigException extends Exception {
        public InvalidConfigException(String message) {
            super(message);
        }
    }

    public static Config fromEnvironment(Map<String, String> env) throws InvalidConfigException {
        String addr = trimmed(env.get("ADDR"));
        if (addr.isEmpty()) {
            throw new InvalidConfigException("ADDR is not set: give this node's identity as host:port");
        }
        int port = portOf(addr, "ADDR");
        List<String> peers = new ArrayList<>();
        for (String route : trimmed(env.get("PEERS")).split(",")) {
            String r = route.trim();
            if (!r.isEmpty()) {
                portOf(r, "PEERS entry");
                peers.add(r);
            }
        }
        Map<String, String> routes = new LinkedHashMap<>();
        for (String pair : trimmed(env.get("ROUTES")).split(",")) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new InvalidConfigException("ROUTES entry '" + p + "' is not identity=route");
            }
            String route = p.substring(eq + 1).trim();
            portOf(route, "ROUTES route");
            routes.put(p.substring(0, eq).trim(), route);
        }
        String dataDir = trimmed(env.get("DATA_DIR"));
        if (dataDir.isEmpty()) {
            throw new InvalidConfigException("DATA_DIR is not set: give a directory that survives restarts");
        }
        Path dir = Path.of(dataDir);
        if (!dir.isAbsolute()) {
            throw new InvalidConfigException("DATA_DIR must be an absolute path, was '" + dataDir + "'");
        }
        return new Config(addr, port, List.copyOf(peers), Map.copyOf(routes), dir);
    }

    /** Number of voting members in the initial configuration: the peers plus this node. */
    public int clusterSize() {
        return peers.size() + 1;
    }

    private static int portOf(String hostPort, String what) throws InvalidConfigException {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new InvalidConfigException(what + " '" + hostPort + "' is not host:port");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new InvalidConfigException(what + " '" + hostPort + "' has a port outside 1-65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(what + " '" + hostPort + "' has a port that is not a number");
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }
}
