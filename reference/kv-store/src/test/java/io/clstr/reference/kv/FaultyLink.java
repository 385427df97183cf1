package io.clstr.reference.kv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A test-only TCP proxy for one directed link, with Toxiproxy-like faults: a black hole
 * (connections are accepted, bytes silently dropped, in both directions) and a fixed latency on
 * the bytes sent through it (requests) or back (responses). Healing closes the connections that
 * were black-holed, as Toxiproxy does.
 */
final class FaultyLink implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;
    private volatile long requestLatencyMillis;
    private volatile long responseLatencyMillis;
    private volatile boolean closed;
    private volatile double requestLoss;
    private volatile double responseLoss;

    FaultyLink(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::acceptLoop, "link-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String route() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    void blackHole(boolean on) {
        boolean was = blackHole;
        blackHole = on;
        if (was && !on) {
            closeConnections();
        }
    }

    /**
     * Toxiproxy's loss approximation: each new connection's request direction is black-holed
     * with probability {@code request}, its response direction with probability {@code response}.
     */
    void loss(double request, double response) {
        requestLoss = request;
        responseLoss = response;
    }

    void requestLatency(long millis) {
        requestLatencyMillis = millis;
    }

    void responseLatency(long millis) {
        responseLatencyMillis = millis;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress("127.0.0.1", upstreamPort), 1000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                pump(client, upstream, true, random.nextDouble() < requestLoss);
                pump(upstream, client, false, random.nextDouble() < responseLoss);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request, boolean lost) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        while (true) {
                            int n = in.read(buffer);
                            if (n < 0) {
                                break;
                            }
                            if (blackHole || lost) {
                                continue;
                            }
                            long latency = request ? requestLatencyMillis : responseLatencyMillis;
                            if (latency > 0) {
                                Thread.sleep(latency);
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // connection over
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        sockets.remove(from);
                        sockets.remove(to);
                    }
                },
                "link-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        closeConnections();
    }
}
