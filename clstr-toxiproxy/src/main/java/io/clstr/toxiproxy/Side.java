package io.clstr.toxiproxy;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One socket of a proxied connection (the client's or the upstream's) and the selector key its two links share. */
final class Side implements EventLoop.Handler {
    private static final System.Logger LOG = System.getLogger(Side.class.getName());

    final SocketChannel channel;
    private final Connection connection;
    private SelectionKey key;
    private int interest;
    /** The link that reads from this socket. */
    Link reader;
    /** The link that writes to this socket. */
    Link writer;

    boolean connecting;
    boolean closed;

    Side(SocketChannel channel, Connection connection) {
        this.channel = channel;
        this.connection = connection;
    }

    void register(EventLoop loop) throws IOException {
        key = loop.register(channel, 0, this);
    }

    @Override
    public void ready(SelectionKey readyKey) throws IOException {
        if (readyKey.isConnectable()) {
            connection.connected(this);
            return;
        }
        if (readyKey.isValid() && readyKey.isWritable() && writer != null) {
            writer.writable();
        }
        if (readyKey.isValid() && readyKey.isReadable() && reader != null) {
            reader.readable();
        }
    }

    @Override
    public void failed(Exception cause) {
        LOG.log(System.Logger.Level.DEBUG, "connection failed", cause);
        connection.abort(false);
    }

    /** Asks the selector for exactly what the links need now. */
    void updateInterest() {
        if (closed || key == null) {
            return;
        }
        int ops = 0;
        if (connecting) {
            ops |= SelectionKey.OP_CONNECT;
        }
        if (reader != null && reader.wantsRead()) {
            ops |= SelectionKey.OP_READ;
        }
        if (writer != null && writer.wantsWrite()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    /** Closes the socket, with a TCP reset instead of a FIN when asked. */
    void close(boolean reset) {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            if (reset && channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot set SO_LINGER for a reset", e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a socket failed", e);
        }
    }
}
