package io.clstr.junit.internal.runtime;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.clstr.junit.internal.network.ProxyRoute;
import io.clstr.toxiproxy.ToxiproxyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process runtime's layout: every node and proxy on 127.0.0.1, ports claimed from a
 * {@link PortRange}, the embedded Toxiproxy server inside this JVM (API on 127.0.0.1 only). A single
 * node has no proxies, and so no server: its start and close (2-7 ms each in a JVM's first stage)
 * would be all it did.
 */
public final class LoopbackLayout implements Layout {
    private static final String HOST = "127.0.0.1";

    private final PortLease lease;
    /** Null when there are no proxies to carry. */
    private final ToxiproxyServer server;

    private final List<ProxyRoute> routes = new ArrayList<>();

    private LoopbackLayout(PortLease lease, ToxiproxyServer server) {
        this.lease = lease;
        this.server = server;
    }

    /**
     * Claims ports for {@code names.size()} nodes and, when there are two or more, their proxies and
     * the Toxiproxy API, and starts the server.
     */
    public static LoopbackLayout create(List<String> names, PortRange range, long seed) {
        int total = names.size();
        int pairs = total * (total - 1);
        PortLease lease = PortLease.claim(pairs == 0 ? total : total + pairs + 1, range);
        List<Integer> ports = lease.ports();
        ToxiproxyServer server;
        try {
            server = pairs == 0 ? null : ToxiproxyServer.start(HOST, ports.get(total + pairs), seed);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        LoopbackLayout layout = new LoopbackLayout(lease, server);
        int next = total;
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < total; j++) {
                if (i != j) {
                    String listen = HOST + ":" + ports.get(next++);
                    layout.routes.add(new ProxyRoute(names.get(i), names.get(j), listen, layout.addr(j), listen));
                }
            }
        }
        return layout;
    }

    @Override
    public String addr(int index) {
        return HOST + ":" + port(index);
    }

    @Override
    public int port(int index) {
        return lease.ports().get(index);
    }

    @Override
    public String dataDir(int index, Path hostDir) {
        return hostDir.toAbsolutePath().toString();
    }

    @Override
    public List<ProxyRoute> routes() {
        return List.copyOf(routes);
    }

    @Override
    public ToxiproxyClient toxiproxy() {
        if (server == null) {
            throw new IllegalStateException("a single node has no proxies, and so no Toxiproxy server");
        }
        return new ToxiproxyClient(HOST, server.port());
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            lease.close();
        }
    }
}
