package io.clstr.toxiproxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A named proxy: the configuration the API reports (readable from any thread), and its listener, toxics and live
 * connections (changed on the loop thread only, through the methods marked so).
 */
final class Proxy implements EventLoop.Handler {
    private static final System.Logger LOG = System.getLogger(Proxy.class.getName());
    private static final int BACKLOG = 1024;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;

    private final String name;
    private final EventLoop loop;
    private final Timers timers;
    private final long seed;
    private volatile String listen;
    private volatile String upstream;
    private volatile boolean enabled;
    private volatile List<ToxicSpec> toxics = List.of();

    private InetSocketAddress upstreamAddress;
    private ServerSocketChannel listener;
    private SelectionKey listenerKey;
    private final Set<Connection> connections = new LinkedHashSet<>();
    private long accepted;

    Proxy(
            String name,
            String listen,
            String upstream,
            InetSocketAddress upstreamAddress,
            EventLoop loop,
            Timers timers,
            long seed) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
        this.upstreamAddress = upstreamAddress;
        this.loop = loop;
        this.timers = timers;
        this.seed = seed;
    }

    String name() {
        return name;
    }

    /** The bound address once the proxy listened, else the address as it was given. */
    String listen() {
        return listen;
    }

    String upstream() {
        return upstream;
    }

    boolean enabled() {
        return enabled;
    }

    /** Every toxic in creation order; see {@link #reportedToxics()} for the order the API shows. */
    List<ToxicSpec> toxics() {
        return toxics;
    }

    /** Upstream toxics first, then downstream ones, each in creation order. */
    List<ToxicSpec> reportedToxics() {
        List<ToxicSpec> all = toxics;
        List<ToxicSpec> ordered = new ArrayList<>(all.size());
        for (Direction direction : Direction.values()) {
            for (ToxicSpec spec : all) {
                if (spec.stream() == direction) {
                    ordered.add(spec);
                }
            }
        }
        return ordered;
    }

    ToxicSpec toxic(String toxicName) {
        for (ToxicSpec spec : toxics) {
            if (spec.name().equals(toxicName)) {
                return spec;
            }
        }
        return null;
    }

    /** Loop thread: binds the listener and starts accepting. */
    void start(InetSocketAddress bindAddress) throws IOException {
        if (listener != null) {
            enabled = true;
            return;
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(bindAddress, BACKLOG);
            channel.configureBlocking(false);
            listenerKey = loop.register(channel, SelectionKey.OP_ACCEPT, this);
        } catch (IOException e) {
            channel.close();
            enabled = false;
            throw new IOException("listen tcp " + listen + ": " + e.getMessage(), e);
        }
        listener = channel;
        listen = HostPort.format((InetSocketAddress) channel.getLocalAddress());
        enabled = true;
    }

    /** Loop thread: closes the listener and every connection; toxics stay. */
    void stop() {
        enabled = false;
        if (listener != null) {
            listenerKey.cancel();
            try {
                listener.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing listener of " + name + " failed", e);
            }
            listener = null;
            listenerKey = null;
            try {
                loop.releaseClosedChannels();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "releasing the listener of " + name + " failed", e);
            }
        }
        for (Connection connection : new ArrayList<>(connections)) {
            connection.abort(false);
        }
        connections.clear();
    }

    boolean running() {
        return listener != null;
    }

    /**
     * Loop thread: applies a merged configuration. A new listen address or upstream restarts the proxy (dropping
     * its connections); then the proxy is started or stopped as asked.
     */
    void update(
            String newListen,
            InetSocketAddress bindAddress,
            String newUpstream,
            InetSocketAddress newUpstreamAddress,
            boolean restart,
            boolean wantEnabled)
            throws IOException {
        if (restart) {
            stop();
            listen = newListen;
            upstream = newUpstream;
            upstreamAddress = newUpstreamAddress;
        }
        if (wantEnabled) {
            start(bindAddress);
        } else {
            stop();
        }
    }

    /** Loop thread. */
    void addToxic(ToxicSpec spec) {
        changeToxics(list -> {
            List<ToxicSpec> copy = new ArrayList<>(list);
            copy.add(spec);
            return copy;
        });
        for (Connection connection : snapshot()) {
            connection.addToxic(spec);
        }
    }

    /** Loop thread. */
    void updateToxic(ToxicSpec spec) {
        changeToxics(list -> {
            List<ToxicSpec> copy = new ArrayList<>(list);
            copy.replaceAll(existing -> existing.name().equals(spec.name()) ? spec : existing);
            return copy;
        });
        for (Connection connection : snapshot()) {
            connection.updateToxic(spec);
        }
    }

    /** Loop thread. */
    void removeToxic(String toxicName) {
        ToxicSpec spec = toxic(toxicName);
        if (spec == null) {
            return;
        }
        changeToxics(list -> {
            List<ToxicSpec> copy = new ArrayList<>(list);
            copy.remove(spec);
            return copy;
        });
        for (Connection connection : snapshot()) {
            connection.removeToxic(spec);
        }
    }

    /** Loop thread. */
    void removeAllToxics() {
        for (ToxicSpec spec : reportedToxics()) {
            removeToxic(spec.name());
        }
    }

    /** Loop thread: a connection is gone. */
    void connectionEnded(Connection connection) {
        connections.remove(connection);
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && listener != null; i++) {
            SocketChannel channel = listener.accept();
            if (channel == null) {
                return;
            }
            accept(channel);
        }
    }

    @Override
    public void failed(Exception cause) {
        // Typically out of file descriptors: stop accepting for a moment instead of spinning on the error.
        LOG.log(System.Logger.Level.WARNING, "proxy " + name + " cannot accept: " + cause.getMessage());
        SelectionKey key = listenerKey;
        if (key == null || !key.isValid()) {
            return;
        }
        key.interestOps(0);
        timers.schedule(ACCEPT_PAUSE_NANOS, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    private void accept(SocketChannel channel) {
        long index = accepted++;
        Connection connection = new Connection(
                this,
                loop,
                timers,
                channel,
                Seeds.forLink(seed, name, index, Direction.UPSTREAM),
                Seeds.forLink(seed, name, index, Direction.DOWNSTREAM));
        connections.add(connection);
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            connection.abort(false);
            return;
        }
        connection.open(upstreamAddress);
    }

    private void changeToxics(UnaryOperator<List<ToxicSpec>> change) {
        toxics = List.copyOf(change.apply(toxics));
    }

    private List<Connection> snapshot() {
        return new ArrayList<>(connections);
    }
}
