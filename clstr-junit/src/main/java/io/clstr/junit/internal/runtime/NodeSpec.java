package io.clstr.junit.internal.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a runtime needs to start one node.
 *
 * @param name    node name, {@code n1}…
 * @param addr    the node's identity ({@code ADDR})
 * @param port    the port the node listens on (process runtime: the port of {@code addr})
 * @param dataDir the node's data directory on this machine
 * @param env     the node's environment contract: ADDR, PEERS, ROUTES, DATA_DIR and clstr.yaml's {@code env}
 */
public record NodeSpec(String name, String addr, int port, Path dataDir, Map<String, String> env) {
    public NodeSpec {
        env = Map.copyOf(env);
    }
}
