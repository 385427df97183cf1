package io.clstr.junit.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20) // a try that never returns fails here rather than hanging the build
class HealthTryTest {

    private static final Duration TIMEOUT = Duration.ofMillis(250);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void twoHundredIsHealthy() throws Exception {
        URI uri = serve(socket -> answer(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

        HealthTry tried = HealthTry.send(uri, TIMEOUT, "127.0.0.1:1");

        assertThat(tried).isEqualTo(new HealthTry(true, "answered 200"));
        assertThat(requests).singleElement().asString().startsWith("GET /health HTTP/1.1");
    }

    @Test
    void anotherStatusIsNotHealthyAndNamed() throws Exception {
        URI uri = serve(socket -> answer(socket, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));

        assertThat(HealthTry.send(uri, TIMEOUT, "127.0.0.1:1")).isEqualTo(new HealthTry(false, "answered 503"));
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        URI uri = serve(
                socket -> answer(socket, "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n"));

        assertThat(HealthTry.send(uri, TIMEOUT, "127.0.0.1:1")).isEqualTo(new HealthTry(false, "answered 302"));
        assertThat(requests).hasSize(1);
    }

    @Test
    void nothingListeningIsARefusalNamingAddr() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        HealthTry tried = HealthTry.send(URI.create("http://127.0.0.1:" + port), TIMEOUT, "127.0.0.1:7001");

        assertThat(tried)
                .isEqualTo(new HealthTry(
                        false,
                        "connection refused on 127.0.0.1:" + port
                                + " — is the server listening on the port of ADDR (127.0.0.1:7001)?"));
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheTimeout() throws Exception {
        URI uri = serve(socket -> {
            read(socket);
            awaitClientClose(socket); // says nothing until the client gives up
        });

        long start = System.nanoTime();
        HealthTry tried = HealthTry.send(uri, TIMEOUT, "127.0.0.1:1");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(tried)
                .isEqualTo(new HealthTry(false, "no answer from 127.0.0.1:" + uri.getPort() + " within 250 ms"));
        assertThat(took).as("connect and answer share the timeout").isLessThan(TIMEOUT.multipliedBy(4));
    }

    @Test
    void aServerThatClosesWithoutAnsweringIsNamed() throws Exception {
        URI uri = serve(socket -> read(socket)); // the accept loop closes the socket after the handler

        HealthTry tried = HealthTry.send(uri, TIMEOUT, "127.0.0.1:1");

        assertThat(tried)
                .isEqualTo(new HealthTry(
                        false, "connection to 127.0.0.1:" + uri.getPort() + " closed without a response"));
    }

    @Test
    void anInterruptedThreadDoesNotTry() throws Exception {
        URI uri = serve(socket -> answer(socket, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        Thread.currentThread().interrupt();
        try {
            HealthTry.send(uri, TIMEOUT, "127.0.0.1:1");
            throw new AssertionError("expected an InterruptedException");
        } catch (InterruptedException expected) {
            assertThat(requests).isEmpty();
        }
    }

    /** A server on a free loopback port running {@code handler} on each connection, then closing it. */
    private URI serve(Consumer<Socket> handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread accept = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket socket = server.accept()) {
                            handler.accept(socket);
                        } catch (IOException e) {
                            return; // closed
                        }
                    }
                },
                "health-try-test-server");
        accept.setDaemon(true);
        accept.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void answer(Socket socket, String response) {
        read(socket);
        try {
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitClientClose(Socket socket) {
        try {
            while (socket.getInputStream().read() >= 0) {
                // nothing more is expected; the end of the stream is the client closing
            }
        } catch (IOException e) {
            // reset by the client: closed too
        }
    }

    /** Reads the request head (up to the blank line) and records it. */
    private void read(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            requests.add(head.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
