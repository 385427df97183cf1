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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {
    private static final Duration TRY = Duration.ofMillis(300);

    private final HealthProbe probe = new HealthProbe();
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        probe.close();
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    @Test
    void twoHundredIsHealthyAndAnythingElseIsNotWithTheStatusInWords() throws Exception {
        URI ok = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        URI busy = serve("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 8\r\n\r\nstarting");

        assertThat(probe.send(ok, TRY, "127.0.0.1:1")).isEqualTo(new HealthTry(true, "answered 200"));
        assertThat(probe.send(busy, TRY, "127.0.0.1:1")).isEqualTo(new HealthTry(false, "answered 503"));
    }

    @Test
    void eachTryAsksForHealthOnAConnectionOfItsOwn() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        // the server keeps each connection open after its one answer: a second try on it would get none
        URI ok = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", requests, false);

        assertThat(probe.send(ok, TRY, "127.0.0.1:1").healthy()).isTrue();
        assertThat(probe.send(ok, TRY, "127.0.0.1:1").healthy()).isTrue();

        assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(r).startsWith("GET /health HTTP/1.1\r\n"));
    }

    @Test
    void nothingListeningIsARefusalThatNamesTheAddressAndAddr() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        HealthTry refused = probe.send(URI.create("http://127.0.0.1:" + port), TRY, "127.0.0.1:9999");

        assertThat(refused.healthy()).isFalse();
        assertThat(refused.outcome())
                .isEqualTo("connection refused on 127.0.0.1:" + port
                        + " — is the server listening on the port of ADDR (127.0.0.1:9999)?");
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsNoAnswerWithinTheTimeout() throws Exception {
        URI silent = serve(null);

        HealthTry none = probe.send(silent, TRY, "127.0.0.1:1");

        assertThat(none)
                .isEqualTo(new HealthTry(false, "no answer from 127.0.0.1:" + silent.getPort() + " within 300 ms"));
    }

    @Test
    void aServerThatClosesWithoutAnsweringIsSaidSo() throws Exception {
        URI closing = serve("");

        HealthTry closed = probe.send(closing, TRY, "127.0.0.1:1");

        assertThat(closed)
                .isEqualTo(new HealthTry(
                        false, "connection to 127.0.0.1:" + closing.getPort() + " closed without a response"));
    }

    @Test
    void aClosedProbeSendsNothingAndIsNotHealthy() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        URI ok = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", requests, true);
        probe.close();

        assertThat(probe.send(ok, TRY, "127.0.0.1:1"))
                .isEqualTo(new HealthTry(false, "not sent to 127.0.0.1:" + ok.getPort() + ": the runtime is closed"));
        assertThat(requests).isEmpty();
    }

    private URI serve(String answer) throws IOException {
        return serve(answer, new CopyOnWriteArrayList<>(), true);
    }

    /**
     * A server on a free loopback port that reads the head of one request per connection into {@code requests},
     * then writes {@code answer} and, when {@code close}, closes the connection; with a null answer it keeps the
     * connection open and silent.
     */
    private URI serve(String answer, List<String> requests, boolean close) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    servers.add(s);
                    requests.add(head(s.getInputStream()));
                    if (answer != null) {
                        OutputStream out = s.getOutputStream();
                        out.write(answer.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        if (close) {
                            s.close();
                        }
                    }
                } catch (IOException e) {
                    return; // the server closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The request up to the blank line that ends its head. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
