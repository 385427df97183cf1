package io.clstr.toxiproxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A client connection a proxy accepted, the connection it opened to the upstream server, and the two links between
 * them. Loop thread only. When either socket closes, both are torn down (there is no half-close).
 */
final class Connection {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    private final Proxy proxy;
    private final EventLoop loop;
    private final Timers timers;
    private final long upstreamSeed;
    private final long downstreamSeed;
    private final Side client;
    private Side upstream;
    private Link up;
    private Link down;
    private boolean disposed;

    Connection(
            Proxy proxy,
            EventLoop loop,
            Timers timers,
            SocketChannel clientChannel,
            long upstreamSeed,
            long downstreamSeed) {
        this.proxy = proxy;
        this.loop = loop;
        this.timers = timers;
        this.upstreamSeed = upstreamSeed;
        this.downstreamSeed = downstreamSeed;
        this.client = new Side(clientChannel, this);
    }

    /** Starts connecting to the upstream server; an unreachable one gets the client closed at once. */
    void open(InetSocketAddress target) {
        try {
            client.register(loop);
            if (target == null || target.isUnresolved()) {
                abort(false);
                return;
            }
            SocketChannel channel = SocketChannel.open();
            upstream = new Side(channel, this);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            upstream.register(loop);
            if (channel.connect(target)) {
                established();
            } else {
                upstream.connecting = true;
                upstream.updateInterest();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot connect to " + target, e);
            abort(false);
        }
    }

    void connected(Side side) {
        try {
            if (!side.channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "upstream unreachable", e);
            abort(false);
            return;
        }
        side.connecting = false;
        established();
    }

    private void established() {
        List<ToxicSpec> toxics = proxy.toxics();
        up = new Link(this, Direction.UPSTREAM, client, upstream, loop, timers, upstreamSeed, toxics);
        down = new Link(this, Direction.DOWNSTREAM, upstream, client, loop, timers, downstreamSeed, toxics);
        client.reader = up;
        upstream.writer = up;
        upstream.reader = down;
        client.writer = down;
        client.updateInterest();
        upstream.updateInterest();
    }

    void addToxic(ToxicSpec spec) {
        Link link = link(spec.stream());
        if (link != null) {
            link.addToxic(spec);
        }
    }

    void updateToxic(ToxicSpec spec) {
        Link link = link(spec.stream());
        if (link != null) {
            link.updateToxic(spec);
        }
    }

    void removeToxic(ToxicSpec spec) {
        Link link = link(spec.stream());
        if (link != null) {
            link.removeToxic(spec.name());
        }
    }

    private Link link(Direction direction) {
        if (disposed) {
            return null;
        }
        return direction == Direction.UPSTREAM ? up : down;
    }

    /** One socket was closed: the link reading from it has reached its end, and when both are closed we are done. */
    void closed(Side side) {
        if (side.reader != null) {
            side.reader.sourceEnded();
        }
        if (client.closed && (upstream == null || upstream.closed)) {
            dispose();
        }
    }

    /** Closes both sockets at once, dropping whatever is still held. */
    void abort(boolean reset) {
        if (disposed) {
            return;
        }
        client.close(reset);
        if (upstream != null) {
            upstream.close(reset);
        }
        dispose();
    }

    private void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        if (up != null) {
            up.dispose();
            down.dispose();
        }
        proxy.connectionEnded(this);
    }
}
