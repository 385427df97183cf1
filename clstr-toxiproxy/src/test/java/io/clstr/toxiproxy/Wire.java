package io.clstr.toxiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Small blocking-socket helpers for the tests. */
final class Wire {
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Wire() {}

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /** A client socket to a proxy's listen address, with a generous read timeout. */
    static Socket connect(String hostPort) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port(hostPort)), (int) PATIENCE.toMillis());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends text through a fresh connection and reads as many bytes back. */
    static String echoThrough(String hostPort, String text) throws IOException {
        try (Socket socket = connect(hostPort)) {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            return new String(readExactly(socket, text.length()), StandardCharsets.UTF_8);
        }
    }

    /** Reads a number of bytes from a fresh connection without sending anything. */
    static String readThrough(String hostPort, int count) throws IOException {
        try (Socket socket = connect(hostPort)) {
            return new String(readExactly(socket, count), StandardCharsets.UTF_8);
        }
    }

    static byte[] readExactly(Socket socket, int count) throws IOException {
        byte[] bytes = new byte[count];
        InputStream in = socket.getInputStream();
        int done = 0;
        while (done < count) {
            int read = in.read(bytes, done, count - done);
            if (read < 0) {
                throw new IOException("stream ended after " + done + " of " + count + " bytes");
            }
            done += read;
        }
        return bytes;
    }

    /** Reads until the end of the stream; returns the number of bytes read before it. */
    static int readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            total += read;
        }
        return total;
    }

    /** True when nothing arrives (and the stream does not end) within the wait. */
    static boolean staysSilent(Socket socket, Duration wait) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) wait.toMillis());
        try {
            return socket.getInputStream().read() == -2;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }
}
