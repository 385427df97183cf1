package io.clstr.reference.raft;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 requests to peers, each on a fresh connection with a hard deadline.
 *
 * <p>Why not a pooled client: the test harness cuts links with black holes (connections are
 * accepted, bytes silently dropped) and approximates packet loss by black-holing a share of new
 * connections. One connection per request turns that into plain message loss, a timeout never
 * leaves a dead connection behind for the next request, and no request waits behind another.
 * Calls run on a bounded pool and never block the caller.
 */
public final class PeerClient implements AutoCloseable {

    /** A peer's answer. Header names are lower-case. */
    public record Response(int status, Map<String, String> headers, byte[] body) {}

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 64 << 20;

    private final ThreadPoolExecutor pool;

    public PeerClient(int maxConcurrentCalls) {
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                0, maxConcurrentCalls, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "peer-rpc-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Sends {@code method target} to {@code route} ({@code host:port}). The future fails with an
     * {@link IOException} on any network error or when {@code timeout} passes; it is never
     * completed on the caller's thread except when the pool is saturated.
     */
    public CompletableFuture<Response> send(
            String route, String method, String target, String contentType, byte[] body, Duration timeout) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            pool.execute(() -> {
                try {
                    future.complete(call(route, method, target, contentType, body, deadline));
                } catch (IOException | RuntimeException e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new IOException("too many peer requests in flight", e));
        }
        return future;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static Response call(
            String route, String method, String target, String contentType, byte[] body, long deadline)
            throws IOException {
        int colon = route.lastIndexOf(':');
        String host = route.substring(0, colon);
        int port = Integer.parseInt(route.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), millisLeft(deadline));
            StringBuilder head = new StringBuilder(160)
                    .append(method)
                    .append(' ')
                    .append(target)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: ")
                    .append(route)
                    .append("\r\n")
                    .append("Connection: close\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();

            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.setSoTimeout(millisLeft(deadline));
            String statusLine = readLine(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("malformed status line from " + route + ": " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("malformed status line from " + route + ": " + statusLine, e);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int headerBytes = statusLine.length();
            while (true) {
                socket.setSoTimeout(millisLeft(deadline));
                String line = readLine(in);
                headerBytes += line.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("response headers from " + route + " are too large");
                }
                if (line.isEmpty()) {
                    break;
                }
                int sep = line.indexOf(':');
                if (sep > 0) {
                    headers.put(
                            line.substring(0, sep).trim().toLowerCase(Locale.ROOT),
                            line.substring(sep + 1).trim());
                }
            }
            byte[] responseBody = readBody(socket, in, headers, deadline, method, status);
            return new Response(status, headers, responseBody);
        }
    }

    private static byte[] readBody(
            Socket socket, InputStream in, Map<String, String> headers, long deadline, String method, int status)
            throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return new byte[0];
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                socket.setSoTimeout(millisLeft(deadline));
                String sizeLine = readLine(in);
                int semicolon = sizeLine.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size: " + sizeLine, e);
                }
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        socket.setSoTimeout(millisLeft(deadline));
                    }
                    return out.toByteArray();
                }
                if (out.size() + size > MAX_BODY_BYTES) {
                    throw new IOException("response body is too large");
                }
                out.write(readExactly(socket, in, size, deadline));
                readLine(in);
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            int size;
            try {
                size = Integer.parseInt(length);
            } catch (NumberFormatException e) {
                throw new IOException("malformed content-length: " + length, e);
            }
            if (size < 0 || size > MAX_BODY_BYTES) {
                throw new IOException("content-length out of range: " + length);
            }
            return readExactly(socket, in, size, deadline);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            socket.setSoTimeout(millisLeft(deadline));
            int n = in.read(buffer);
            if (n < 0) {
                return out.toByteArray();
            }
            if (out.size() + n > MAX_BODY_BYTES) {
                throw new IOException("response body is too large");
            }
            out.write(buffer, 0, n);
        }
    }

    private static byte[] readExactly(Socket socket, InputStream in, int size, long deadline) throws IOException {
        byte[] bytes = new byte[size];
        int read = 0;
        while (read < size) {
            socket.setSoTimeout(millisLeft(deadline));
            int n = in.read(bytes, read, size - read);
            if (n < 0) {
                throw new IOException("connection closed after " + read + " of " + size + " body bytes");
            }
            read += n;
        }
        return bytes;
    }

    /** Reads one CRLF- or LF-terminated line as ISO-8859-1, without the terminator. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the middle of the response head");
            }
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("response line is too long");
            }
            line.append((char) b);
        }
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
