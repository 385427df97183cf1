package io.clstr.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How proxies treat whole connections: disabling, unreachable upstreams, closing, many idle ones, replayed draws. */
class ConnectionBehaviourTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static ToxiproxyServer server;
    private static ToxiproxyClient client;

    @BeforeAll
    static void startServer() {
        server = ToxiproxyServer.start("127.0.0.1", 0, 5);
        client = new ToxiproxyClient(server.host(), server.port());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void disablingRefusesNewConnectionsAndClosesOpenOnes() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo.address());
            try (Socket open = Wire.connect(proxy.getListen())) {
                assertThat(Wire.echoThrough(proxy.getListen(), "before")).isEqualTo("before");
                open.getOutputStream().write('x');
                assertThat(Wire.readExactly(open, 1)).containsExactly('x');

                proxy.disable();

                assertThat(Wire.readToEnd(open)).isZero();
                assertThatThrownBy(() -> Wire.connect(proxy.getListen()).close())
                        .isInstanceOf(ConnectException.class);
            }
            proxy.enable();
            assertThat(Wire.echoThrough(proxy.getListen(), "after")).isEqualTo("after");
        }
    }

    @Test
    void deletingAProxyClosesItsConnections() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo.address());
            try (Socket open = Wire.connect(proxy.getListen())) {
                Await.until(Wire.PATIENCE, "the upstream connection", () -> echo.accepted() == 1);

                proxy.delete();

                assertThat(Wire.readToEnd(open)).isZero();
                Await.until(Wire.PATIENCE, "the upstream side to close", () -> echo.ended() == 1);
            }
        }
    }

    @Test
    void unreachableUpstreamIsAcceptedThenClosed() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        for (String upstream : List.of("127.0.0.1:" + closedPort, "no-such-host.invalid:80", "not an address")) {
            Proxy proxy = proxyTo(upstream);
            try (Socket socket = Wire.connect(proxy.getListen())) {
                assertThat(socket.isConnected()).as(upstream).isTrue();
                assertThat(Wire.readToEnd(socket)).as(upstream).isZero();
            }
        }
    }

    @Test
    void closingTheClientsWriteSideClosesBothSides() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Proxy proxy = proxyTo(echo.address());
            try (Socket socket = Wire.connect(proxy.getListen())) {
                socket.getOutputStream().write('x');
                assertThat(Wire.readExactly(socket, 1)).containsExactly('x');

                socket.shutdownOutput();

                assertThat(Wire.readToEnd(socket)).isZero();
                Await.until(Wire.PATIENCE, "the upstream side to close", () -> echo.ended() == 1);
            }
        }
    }

    @Test
    void closingTheUpstreamClosesTheClient() throws IOException {
        try (TestServer closer = TestServer.with(socket -> {
            socket.getOutputStream().write("done".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            Wire.readToEnd(socket);
        })) {
            Proxy proxy = proxyTo(closer.address());
            try (Socket socket = Wire.connect(proxy.getListen())) {
                assertThat(new String(Wire.readExactly(socket, 4), StandardCharsets.US_ASCII))
                        .isEqualTo("done");
                assertThat(Wire.readToEnd(socket)).isZero();
            }
        }
    }

    @Test
    void changingTheUpstreamDropsOpenConnections() throws IOException {
        try (TestServer first = TestServer.echo();
                TestServer second = TestServer.with(
                        socket -> socket.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII)))) {
            Proxy proxy = proxyTo(first.address());
            try (Socket open = Wire.connect(proxy.getListen())) {
                Await.until(Wire.PATIENCE, "the first upstream connection", () -> first.accepted() == 1);

                proxy.setUpstream(second.address());

                assertThat(Wire.readToEnd(open)).isZero();
            }
            assertThat(Wire.readThrough(proxy.getListen(), 6)).isEqualTo("second");
        }
    }

    @Test
    void hundredsOfBlackHoledConnectionsNeedNoMoreThreads() throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TestServer holder = TestServer.holding()) {
            Proxy proxy = proxyTo(holder.address());
            proxy.toxics().timeout("hole-up", ToxicDirection.UPSTREAM, 0);
            proxy.toxics().timeout("hole-down", ToxicDirection.DOWNSTREAM, 0);
            Wire.echoThrough(proxy.getListen(), "");
            int before = threads.getThreadCount();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", Wire.port(proxy.getListen())), 10_000);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write('x');
                    sockets.add(socket);
                }
                Await.until(Wire.PATIENCE, "500 upstream connections", () -> holder.accepted() >= 501);

                assertThat(threads.getThreadCount()).isLessThanOrEqualTo(before + 2);

                proxy.disable();
                for (Socket socket : sockets) {
                    assertThat(Wire.readToEnd(socket)).isZero();
                }
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aReaderThatDoesNotReadStopsTheProxyFromReading() throws IOException, InterruptedException {
        try (TestServer holder = TestServer.holding()) {
            Proxy fast = proxyTo(holder.address());
            Proxy slow = proxyTo(holder.address());
            slow.toxics().latency("lat", ToxicDirection.UPSTREAM, 60_000);

            for (Proxy proxy : List.of(fast, slow)) {
                long accepted = bytesAcceptedUntilStuck(proxy);
                // Socket buffers on loopback take a few MiB; without backpressure the proxy would take all 64 MiB.
                assertThat(accepted).as(proxy.getName()).isLessThan(32L << 20);
            }
        }
    }

    /** Writes without blocking until the connection takes nothing for half a second, or 64 MiB went in. */
    private static long bytesAcceptedUntilStuck(Proxy proxy) throws IOException, InterruptedException {
        try (SocketChannel channel =
                SocketChannel.open(new InetSocketAddress("127.0.0.1", Wire.port(proxy.getListen())))) {
            channel.configureBlocking(false);
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            long lastProgress = System.nanoTime();
            while (total < (64L << 20) && System.nanoTime() - lastProgress < 500_000_000L) {
                block.clear();
                int written = channel.write(block);
                if (written > 0) {
                    total += written;
                    lastProgress = System.nanoTime();
                } else {
                    Thread.sleep(5);
                }
            }
            return total;
        }
    }

    @Test
    void toxicityDrawsReplayWithTheSameSeed() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            List<Boolean> first = connectionFates(echo, 1234);
            List<Boolean> second = connectionFates(echo, 1234);

            assertThat(second).isEqualTo(first);
            assertThat(first).contains(true, false);
        }
    }

    @Test
    void closingTheServerReleasesPortsConnectionsAndThreads() throws IOException {
        try (TestServer echo = TestServer.echo()) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            ToxiproxyServer own = ToxiproxyServer.start("127.0.0.1", 0, 9);
            Proxy proxy =
                    new ToxiproxyClient(own.host(), own.port()).createProxy("closing", "127.0.0.1:0", echo.address());
            try (Socket open = Wire.connect(proxy.getListen())) {
                Await.until(Wire.PATIENCE, "the upstream connection", () -> echo.accepted() == 1);

                own.close();
                own.close();

                assertThat(Wire.readToEnd(open)).isZero();
            }
            assertPortFree(own.port());
            assertPortFree(Wire.port(proxy.getListen()));
            Await.until(Wire.PATIENCE, "the server's threads to end", () -> Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread))
                    .noneMatch(thread -> thread.getName().startsWith("clstr-toxiproxy")
                            || thread.getName().startsWith("HTTP-Dispatcher")
                            || thread.getName().startsWith("idle-timeout-task")));
        }
    }

    /** Whether each of 16 successive connections got through a toxic of toxicity 0.5 that cuts on first data. */
    private static List<Boolean> connectionFates(TestServer echo, long seed) throws IOException {
        List<Boolean> fates = new ArrayList<>();
        try (ToxiproxyServer own = ToxiproxyServer.start("127.0.0.1", 0, seed)) {
            Proxy proxy =
                    new ToxiproxyClient(own.host(), own.port()).createProxy("coin", "127.0.0.1:0", echo.address());
            proxy.toxics().limitData("cut", ToxicDirection.UPSTREAM, 0).setToxicity(0.5f);
            for (int i = 0; i < 16; i++) {
                try (Socket socket = Wire.connect(proxy.getListen())) {
                    socket.getOutputStream().write('?');
                    int answer = socket.getInputStream().read();
                    fates.add(answer == '?');
                } catch (SocketException e) {
                    fates.add(false);
                }
            }
        }
        return fates;
    }

    private static void assertPortFree(int port) {
        Await.until(Wire.PATIENCE, "port " + port + " to be free", () -> {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static Proxy proxyTo(String upstream) throws IOException {
        return client.createProxy("connection-" + NAMES.incrementAndGet(), "127.0.0.1:0", upstream);
    }
}
