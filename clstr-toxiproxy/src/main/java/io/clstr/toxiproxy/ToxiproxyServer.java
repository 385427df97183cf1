package io.clstr.toxiproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An embedded server that speaks the Toxiproxy HTTP API, so the official toxiproxy-java client works against it
 * unchanged. Proxies run on one event-loop thread and one timer thread whatever the number of connections; the API
 * runs on the JDK's HTTP server with two workers. Toxicity draws derive from the seed, so they can be replayed.
 *
 * <pre>{@code
 * try (ToxiproxyServer server = ToxiproxyServer.start("127.0.0.1", 0, 42)) {
 *     ToxiproxyClient client = new ToxiproxyClient(server.host(), server.port());
 *     ...
 * }
 * }</pre>
 */
public final class ToxiproxyServer implements AutoCloseable {
    private final String host;
    private final EventLoop loop;
    private final Timers timers;
    private final ProxyRegistry registry;
    private final ApiServer api;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ToxiproxyServer(String host, EventLoop loop, Timers timers, ProxyRegistry registry, ApiServer api) {
        this.host = host;
        this.loop = loop;
        this.timers = timers;
        this.registry = registry;
        this.api = api;
    }

    /**
     * Starts a server whose API listens on host:port (port 0 picks a free port).
     *
     * @throws UncheckedIOException when the API address cannot be bound
     */
    public static ToxiproxyServer start(String host, int port, long seed) {
        EventLoop loop = null;
        Timers timers = null;
        try {
            loop = new EventLoop("clstr-toxiproxy-loop");
            timers = new Timers(loop, "clstr-toxiproxy-timer");
            ProxyRegistry registry = new ProxyRegistry(loop, timers, seed);
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new IOException("unknown host " + host);
            }
            ApiServer api = ApiServer.start(address, registry);
            return new ToxiproxyServer(host, loop, timers, registry, api);
        } catch (IOException e) {
            if (timers != null) {
                timers.close();
            }
            if (loop != null) {
                loop.close();
            }
            throw new UncheckedIOException(
                    "cannot start the Toxiproxy API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port the API listens on. */
    public int port() {
        return api.port();
    }

    /** The host the API listens on, as it was given. */
    public String host() {
        return host;
    }

    /** Stops the API, every proxy listener and connection, and every thread of this server; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        api.close();
        registry.closeAll();
        timers.close();
        loop.close();
    }
}
