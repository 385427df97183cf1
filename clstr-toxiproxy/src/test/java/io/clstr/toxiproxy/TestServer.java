package io.clstr.toxiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A loopback upstream server for tests: each connection runs a behaviour, on its own thread or on the acceptor's. */
final class TestServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket serverSocket;
    private final Behaviour behaviour;
    private final boolean threadPerConnection;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean closed;

    private TestServer(Behaviour behaviour, boolean threadPerConnection, int backlog) throws IOException {
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        this.behaviour = behaviour;
        this.threadPerConnection = threadPerConnection;
        this.acceptor = new Thread(this::acceptLoop, "test-server-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Echoes every byte back until the client closes. */
    static TestServer echo() throws IOException {
        TestServer[] self = new TestServer[1];
        self[0] = new TestServer(socket -> self[0].echoLoop(socket), true, 50);
        return self[0];
    }

    /** Runs the behaviour for each connection on its own thread; null drains each connection, counting bytes. */
    static TestServer with(Behaviour behaviour) throws IOException {
        if (behaviour != null) {
            return new TestServer(behaviour, true, 50);
        }
        TestServer[] self = new TestServer[1];
        self[0] = new TestServer(socket -> self[0].drain(socket), true, 50);
        return self[0];
    }

    /** Accepts connections and keeps them open without reading, all on one thread. */
    static TestServer holding() throws IOException {
        return new TestServer(socket -> {}, false, 2048);
    }

    String address() {
        return "127.0.0.1:" + serverSocket.getLocalPort();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    /** Connections whose behaviour saw the end of the stream (or an error) from the proxy. */
    int ended() {
        return ended.get();
    }

    long received() {
        return received.get();
    }

    List<Socket> sockets() {
        return sockets;
    }

    /** Reads until the end of the stream, counting what it got. */
    private void drain(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            int count;
            while ((count = in.read(buffer)) >= 0) {
                received.addAndGet(count);
            }
        } catch (SocketException e) {
            // reset by the proxy: the stream ended all the same
        }
        ended.incrementAndGet();
    }

    private void echoLoop(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int count;
            while ((count = in.read(buffer)) >= 0) {
                received.addAndGet(count);
                out.write(buffer, 0, count);
                out.flush();
            }
        } catch (SocketException e) {
            // reset by the proxy: the stream ended all the same
        }
        ended.incrementAndGet();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(socket);
            accepted.incrementAndGet();
            if (threadPerConnection) {
                Thread worker = new Thread(() -> run(socket), "test-server-worker");
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            } else {
                run(socket);
            }
        }
    }

    private void run(Socket socket) {
        try {
            behaviour.serve(socket);
        } catch (IOException e) {
            ended.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread worker : workers) {
            try {
                worker.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
