package io.clstr.junit.internal.runtime;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.clstr.junit.internal.network.ProxyRoute;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a runtime puts a cluster's nodes and proxies: each node's identity and port, one proxy per
 * ordered pair, and the Toxiproxy server that carries them (a layout without pairs, a single node,
 * may have none). Closing it releases what it holds (ports, the server).
 */
public interface Layout extends AutoCloseable {

    /** The identity ({@code ADDR}) of the node at {@code index} (0-based). */
    String addr(int index);

    /** The port the node at {@code index} listens on. */
    int port(int index);

    /** {@code DATA_DIR} as the node sees it, given its folder on this machine. */
    String dataDir(int index, Path hostDir);

    /** The proxies, one per ordered pair of nodes. */
    List<ProxyRoute> routes();

    /**
     * A client of the Toxiproxy server carrying {@link #routes()}; when there are no routes there may
     * be no server, and this throws {@link IllegalStateException}.
     */
    ToxiproxyClient toxiproxy();

    @Override
    void close();
}
