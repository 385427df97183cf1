package io.clstr.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each toxic does to bytes on real loopback sockets. Timing bounds are lower bounds (timers never fire
 * early); upper bounds are only the generous deadlines of {@link Wire#PATIENCE}.
 */
class ToxicBehaviourTest {
    private static final Duration SILENCE = Duration.ofMillis(500);
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static ToxiproxyServer server;
    private static ToxiproxyClient client;

    @BeforeAll
    static void startServer() {
        server = ToxiproxyServer.start("127.0.0.1", 0, 3);
        client = new ToxiproxyClient(server.host(), server.port());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void latencyDelaysEveryChunk() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                for (int i = 0; i < 2; i++) {
                    long start = System.nanoTime();
                    socket.getOutputStream().write('x');
                    assertThat(Wire.readExactly(socket, 1)).containsExactly('x');
                    assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);
                }
            }
        }
    }

    @Test
    void latencyWithJitterKeepsTheOrder() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100).setJitter(90);
            proxy.toxics().latency("lat-up", ToxicDirection.UPSTREAM, 50).setJitter(50);
            byte[] sent = new byte[200];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) i;
            }

            try (Socket socket = Wire.connect(proxy.getListen())) {
                OutputStream out = socket.getOutputStream();
                for (byte b : sent) {
                    out.write(b);
                }
                assertThat(Wire.readExactly(socket, sent.length)).containsExactly(sent);
            }
        }
    }

    @Test
    void bandwidthLimitsTheRate() throws IOException {
        try (TestServer drain = TestServer.with(null)) {
            Proxy proxy = proxyTo(drain);
            proxy.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 100);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                long start = System.nanoTime();
                socket.getOutputStream().write(new byte[50_000]);
                Await.until(Wire.PATIENCE, "50 000 bytes at the upstream", () -> drain.received() == 50_000);
                // 50 000 bytes at 100 KB/s take 500 ms.
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(450);
            }
        }
    }

    @Test
    void bandwidthZeroHoldsDataUntilTheToxicIsRemoved() throws IOException, InterruptedException {
        try (TestServer drain = TestServer.with(null)) {
            Proxy proxy = proxyTo(drain);
            Bandwidth bandwidth = proxy.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 0);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                socket.getOutputStream().write(new byte[10]);
                Await.until(Wire.PATIENCE, "the upstream connection", () -> drain.accepted() == 1);
                assertStaysZero(drain::received, SILENCE);

                bandwidth.remove();

                Await.until(Wire.PATIENCE, "the held bytes at the upstream", () -> drain.received() == 10);
            }
        }
    }

    @Test
    void slowCloseDelaysTheClose() throws IOException {
        try (TestServer goodbye = TestServer.with(socket -> {
            socket.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            socket.close();
        })) {
            Proxy proxy = proxyTo(goodbye);
            proxy.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 400);

            long start = System.nanoTime();
            try (Socket socket = Wire.connect(proxy.getListen())) {
                assertThat(new String(Wire.readExactly(socket, 3), StandardCharsets.US_ASCII))
                        .isEqualTo("bye");
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(400);
            }
        }
    }

    @Test
    void timeoutDropsDataAndClosesAfterTheTimeout() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            proxy.toxics().timeout("to", ToxicDirection.UPSTREAM, 300);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                long start = System.nanoTime();
                socket.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));
                assertThat(Wire.readToEnd(socket)).isZero();
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);
                assertThat(echo.received()).isZero();
            }
        }
    }

    @Test
    void timeoutZeroNeverCloses() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            proxy.toxics().timeout("hole", ToxicDirection.UPSTREAM, 0);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                socket.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));
                assertThat(Wire.staysSilent(socket, Duration.ofMillis(800))).isTrue();
                assertThat(echo.received()).isZero();
                assertThat(echo.ended()).isZero();
            }
        }
    }

    @Test
    void removingATimeoutToxicClosesTheConnection() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            Timeout hole = proxy.toxics().timeout("hole", ToxicDirection.DOWNSTREAM, 0);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                Await.until(Wire.PATIENCE, "the upstream connection", () -> echo.accepted() == 1);
                hole.remove();

                assertThat(Wire.readToEnd(socket)).isZero();
                Await.until(Wire.PATIENCE, "the upstream side to close", () -> echo.ended() == 1);
            }
            assertThat(Wire.echoThrough(proxy.getListen(), "fresh")).isEqualTo("fresh");
        }
    }

    @Test
    void resetPeerResetsTheConnectionAfterTheTimeout() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            proxy.toxics().resetPeer("rp", ToxicDirection.UPSTREAM, 250);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                long start = System.nanoTime();
                socket.getOutputStream().write("doomed".getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> Wire.readToEnd(socket))
                        .isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(250);
                assertThat(echo.received()).isZero();
            }
        }
    }

    @Test
    void slicerSplitsChunksIntoDelayedPieces() throws IOException {
        List<Integer> reads = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (TestServer recorder = TestServer.with(socket -> {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            int count;
            while ((count = in.read(buffer)) >= 0) {
                synchronized (got) {
                    got.write(buffer, 0, count);
                }
                reads.add(count);
            }
        })) {
            Proxy proxy = proxyTo(recorder);
            proxy.toxics().slicer("sl", ToxicDirection.UPSTREAM, 100, 10_000);
            byte[] sent = new byte[1000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 7);
            }

            try (Socket socket = Wire.connect(proxy.getListen())) {
                long start = System.nanoTime();
                socket.getOutputStream().write(sent);
                Await.until(Wire.PATIENCE, "1000 bytes at the upstream", () -> size(got) == 1000);
                // Halving 1000 bytes until pieces are at most 100 bytes makes 16 pieces, 10 ms apart.
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(150);
            }
            synchronized (got) {
                assertThat(got.toByteArray()).containsExactly(sent);
            }
            assertThat(reads).hasSizeGreaterThanOrEqualTo(2).allSatisfy(read -> assertThat(read)
                    .isLessThan(1000));
        }
    }

    @Test
    void limitDataPassesThatManyBytesThenCloses() throws IOException {
        try (TestServer talker = TestServer.with(socket -> {
            socket.getOutputStream().write(new byte[1000]);
            Wire.readToEnd(socket);
        })) {
            Proxy proxy = proxyTo(talker);
            proxy.toxics().limitData("ld", ToxicDirection.DOWNSTREAM, 100);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                assertThat(Wire.readToEnd(socket)).isEqualTo(100);
            }
        }
    }

    @Test
    void toxicityZeroNeverAppliesAndOneAlwaysDoes() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy never = proxyTo(echo);
            never.toxics().limitData("cut", ToxicDirection.UPSTREAM, 0).setToxicity(0f);
            Proxy always = proxyTo(echo);
            always.toxics().limitData("cut", ToxicDirection.UPSTREAM, 0).setToxicity(1f);

            for (int i = 0; i < 5; i++) {
                assertThat(Wire.echoThrough(never.getListen(), "fine")).isEqualTo("fine");
                try (Socket socket = Wire.connect(always.getListen())) {
                    socket.getOutputStream().write("cut".getBytes(StandardCharsets.US_ASCII));
                    assertThat(Wire.readToEnd(socket)).isZero();
                }
            }
        }
    }

    @Test
    void updatingAToxicAppliesToAnOpenConnection() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            Bandwidth bandwidth = proxy.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 0);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                socket.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
                Await.until(Wire.PATIENCE, "the echo server to answer", () -> echo.received() == 4);
                assertThat(Wire.staysSilent(socket, SILENCE)).isTrue();

                bandwidth.setRate(1000);

                assertThat(new String(Wire.readExactly(socket, 4), StandardCharsets.US_ASCII))
                        .isEqualTo("held");
            }
        }
    }

    @Test
    void updatingToxicityDrawsAgainOnAnOpenConnection() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);
            Timeout hole = proxy.toxics().timeout("hole", ToxicDirection.UPSTREAM, 0);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                socket.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));
                assertThat(Wire.staysSilent(socket, SILENCE)).isTrue();

                hole.setToxicity(0f);

                socket.getOutputStream().write("seen".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(Wire.readExactly(socket, 4), StandardCharsets.US_ASCII))
                        .isEqualTo("seen");
                assertThat(echo.received()).isEqualTo(4);
            }
        }
    }

    @Test
    void addingAndRemovingAToxicAppliesToAnOpenConnection() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo);

            try (Socket socket = Wire.connect(proxy.getListen())) {
                assertThat(roundTripMillis(socket)).isLessThan(1500);

                Latency latency = proxy.toxics().latency("lat", ToxicDirection.UPSTREAM, 1500);
                assertThat(roundTripMillis(socket)).isGreaterThanOrEqualTo(1500);

                latency.remove();
                assertThat(roundTripMillis(socket)).isLessThan(1500);
            }
        }
    }

    private static long roundTripMillis(Socket socket) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write('r');
        assertThat(Wire.readExactly(socket, 1)).containsExactly('r');
        return millisSince(start);
    }

    private static Proxy proxyTo(TestServer upstream) throws IOException {
        return client.createProxy("behaviour-" + NAMES.incrementAndGet(), "127.0.0.1:0", upstream.address());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static int size(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.size();
        }
    }

    private static void assertStaysZero(LongSupplier value, Duration during) throws InterruptedException {
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(value.getAsLong()).isZero();
            Thread.sleep(5);
        }
    }
}
