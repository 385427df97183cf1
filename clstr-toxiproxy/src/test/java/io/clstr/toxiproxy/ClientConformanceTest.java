package io.clstr.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official toxiproxy-java client, unchanged, against the embedded server: every call it offers. */
class ClientConformanceTest {
    private static ToxiproxyServer server;
    private static TestServer echo;
    private ToxiproxyClient client;

    @BeforeAll
    static void startServers() throws IOException {
        server = ToxiproxyServer.start("127.0.0.1", 0, 7);
        echo = TestServer.echo();
    }

    @AfterAll
    static void stopServers() throws IOException {
        server.close();
        echo.close();
    }

    @BeforeEach
    void freshClient() throws IOException {
        client = new ToxiproxyClient(server.host(), server.port());
        for (Proxy proxy : client.getProxies()) {
            proxy.delete();
        }
    }

    @Test
    void createProxyReportsTheRealPortAndForwards() throws IOException {
        Proxy proxy = client.createProxy("create", "localhost:0", echo.address());

        assertThat(proxy.getName()).isEqualTo("create");
        assertThat(proxy.getListen()).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
        assertThat(proxy.getUpstream()).isEqualTo(echo.address());
        assertThat(proxy.isEnabled()).isTrue();
        assertThat(Wire.echoThrough(proxy.getListen(), "hello")).isEqualTo("hello");
    }

    @Test
    void getAndListProxies() throws IOException {
        client.createProxy("b-proxy", "127.0.0.1:0", echo.address());
        Proxy a = client.createProxy("a-proxy", "127.0.0.1:0", echo.address());

        Proxy fetched = client.getProxy("a-proxy");
        assertThat(fetched.getListen()).isEqualTo(a.getListen());
        assertThat(fetched.getUpstream()).isEqualTo(echo.address());
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("a-proxy", "b-proxy");
    }

    @Test
    void missingProxyIsNotFound() {
        assertThat(client.getProxyOrNull("missing")).isNull();
        assertThatThrownBy(() -> client.getProxy("missing"))
                .isInstanceOf(IOException.class)
                .hasMessage("[404] proxy not found");
    }

    @Test
    void duplicateProxyIsAConflict() throws IOException {
        client.createProxy("dup", "127.0.0.1:0", echo.address());

        assertThatThrownBy(() -> client.createProxy("dup", "127.0.0.1:0", echo.address()))
                .isInstanceOf(IOException.class)
                .hasMessage("[409] proxy already exists");
    }

    @Test
    void deleteFreesTheListenPort() throws IOException {
        Proxy proxy = client.createProxy("gone", "127.0.0.1:0", echo.address());

        proxy.delete();

        assertThat(client.getProxyOrNull("gone")).isNull();
        assertThatThrownBy(() -> new Socket("127.0.0.1", Wire.port(proxy.getListen())).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void disableRefusesConnectionsAndEnableRestoresThem() throws IOException {
        Proxy proxy = client.createProxy("toggle", "127.0.0.1:0", echo.address());
        proxy.toxics().latency("kept", ToxicDirection.DOWNSTREAM, 1);

        proxy.disable();
        assertThat(proxy.isEnabled()).isFalse();
        assertThat(proxy.toxics().getAll()).extracting(Toxic::getName).containsExactly("kept");
        assertThat(client.getProxy("toggle").isEnabled()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", Wire.port(proxy.getListen())).close())
                .isInstanceOf(ConnectException.class);

        proxy.enable();
        assertThat(proxy.isEnabled()).isTrue();
        assertThat(Wire.echoThrough(proxy.getListen(), "back")).isEqualTo("back");
    }

    @Test
    void setUpstreamAndListenAreApplied() throws IOException {
        try (TestServer other =
                TestServer.with(socket -> socket.getOutputStream().write("other".getBytes()))) {
            Proxy proxy = client.createProxy("move", "127.0.0.1:0", echo.address());
            String oldListen = proxy.getListen();

            proxy.setUpstream(other.address());
            assertThat(proxy.getUpstream()).isEqualTo(other.address());
            assertThat(Wire.readThrough(proxy.getListen(), 5)).isEqualTo("other");

            proxy.setListen("127.0.0.1:0");
            assertThat(proxy.getListen()).isNotEqualTo(oldListen).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(Wire.readThrough(proxy.getListen(), 5)).isEqualTo("other");
        }
    }

    @Test
    void resetEnablesEveryProxyAndRemovesEveryToxic() throws IOException {
        Proxy proxy = client.createProxy("reset", "127.0.0.1:0", echo.address());
        proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
        proxy.toxics().timeout("hole", ToxicDirection.UPSTREAM, 0);
        proxy.disable();

        client.reset();

        assertThat(proxy.isEnabled()).isTrue();
        assertThat(proxy.toxics().getAll()).isEmpty();
        assertThat(client.getProxy("reset").isEnabled()).isTrue();
        assertThat(Wire.echoThrough(proxy.getListen(), "clean")).isEqualTo("clean");
    }

    @Test
    void versionIsReported() throws IOException {
        assertThat(client.version()).isEqualTo("{\"version\":\"2.12.0\"}");
    }

    @Test
    void latencyToxic() throws IOException {
        Proxy proxy = client.createProxy("latency", "127.0.0.1:0", echo.address());
        Latency latency = proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100);
        assertThat(latency.getLatency()).isEqualTo(100);
        assertThat(latency.getJitter()).isZero();
        assertThat(latency.getStream()).isEqualTo(ToxicDirection.DOWNSTREAM);
        assertThat(latency.getToxicity()).isEqualTo(1.0f);

        latency.setJitter(20).setLatency(50);
        latency.setToxicity(0.5f);

        Latency fetched = proxy.toxics().get("lat", Latency.class);
        assertThat(fetched.getLatency()).isEqualTo(50);
        assertThat(fetched.getJitter()).isEqualTo(20);
        assertThat(fetched.getToxicity()).isEqualTo(0.5f);
        assertRemovable(proxy, latency);
    }

    @Test
    void bandwidthToxic() throws IOException {
        Proxy proxy = client.createProxy("bandwidth", "127.0.0.1:0", echo.address());
        Bandwidth bandwidth = proxy.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 1000);
        assertThat(bandwidth.getRate()).isEqualTo(1000);
        assertThat(bandwidth.getStream()).isEqualTo(ToxicDirection.UPSTREAM);

        bandwidth.setRate(0);

        assertThat(proxy.toxics().get("bw", Bandwidth.class).getRate()).isZero();
        assertRemovable(proxy, bandwidth);
    }

    @Test
    void slowCloseToxic() throws IOException {
        Proxy proxy = client.createProxy("slow-close", "127.0.0.1:0", echo.address());
        SlowClose slowClose = proxy.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 300);
        assertThat(slowClose.getDelay()).isEqualTo(300);

        slowClose.setDelay(700);

        assertThat(proxy.toxics().get("sc", SlowClose.class).getDelay()).isEqualTo(700);
        assertRemovable(proxy, slowClose);
    }

    @Test
    void timeoutToxic() throws IOException {
        Proxy proxy = client.createProxy("timeout", "127.0.0.1:0", echo.address());
        Timeout timeout = proxy.toxics().timeout("to", ToxicDirection.UPSTREAM, 0);
        assertThat(timeout.getTimeout()).isZero();

        timeout.setTimeout(5000);

        assertThat(proxy.toxics().get("to", Timeout.class).getTimeout()).isEqualTo(5000);
        assertRemovable(proxy, timeout);
    }

    @Test
    void resetPeerToxic() throws IOException {
        Proxy proxy = client.createProxy("reset-peer", "127.0.0.1:0", echo.address());
        ResetPeer resetPeer = proxy.toxics().resetPeer("rp", ToxicDirection.DOWNSTREAM, 100);
        assertThat(resetPeer.getTimeout()).isEqualTo(100);

        resetPeer.setTimeout(250);

        assertThat(proxy.toxics().get("rp", ResetPeer.class).getTimeout()).isEqualTo(250);
        assertRemovable(proxy, resetPeer);
    }

    @Test
    void slicerToxic() throws IOException {
        Proxy proxy = client.createProxy("slicer", "127.0.0.1:0", echo.address());
        Slicer slicer = proxy.toxics().slicer("sl", ToxicDirection.UPSTREAM, 64, 1000);
        assertThat(slicer.getAverageSize()).isEqualTo(64);
        assertThat(slicer.getSizeVariation()).isZero();
        assertThat(slicer.getDelay()).isEqualTo(1000);

        slicer.setSizeVariation(16).setAverageSize(32).setDelay(10);

        Slicer fetched = proxy.toxics().get("sl", Slicer.class);
        assertThat(fetched.getAverageSize()).isEqualTo(32);
        assertThat(fetched.getSizeVariation()).isEqualTo(16);
        assertThat(fetched.getDelay()).isEqualTo(10);
        assertRemovable(proxy, slicer);
    }

    @Test
    void limitDataToxic() throws IOException {
        Proxy proxy = client.createProxy("limit-data", "127.0.0.1:0", echo.address());
        LimitData limitData = proxy.toxics().limitData("ld", ToxicDirection.DOWNSTREAM, 1024);
        assertThat(limitData.getBytes()).isEqualTo(1024);

        limitData.setBytes(10);

        assertThat(proxy.toxics().get("ld", LimitData.class).getBytes()).isEqualTo(10);
        assertRemovable(proxy, limitData);
    }

    @Test
    void toxicNamesAreUniqueAcrossStreams() throws IOException {
        Proxy proxy = client.createProxy("dup-toxic", "127.0.0.1:0", echo.address());
        proxy.toxics().latency("same", ToxicDirection.DOWNSTREAM, 10);

        assertThatThrownBy(() -> proxy.toxics().latency("same", ToxicDirection.DOWNSTREAM, 10))
                .isInstanceOf(IOException.class)
                .hasMessage("[409] toxic already exists");
        assertThatThrownBy(() -> proxy.toxics().bandwidth("same", ToxicDirection.UPSTREAM, 10))
                .isInstanceOf(IOException.class)
                .hasMessage("[409] toxic already exists");
    }

    @Test
    void missingToxicIsNotFound() throws IOException {
        Proxy proxy = client.createProxy("no-toxic", "127.0.0.1:0", echo.address());

        assertThatThrownBy(() -> proxy.toxics().get("nope"))
                .isInstanceOf(IOException.class)
                .hasMessage("[404] toxic not found");
    }

    @Test
    void toxicsAreListedUpstreamFirstThenDownstream() throws IOException {
        Proxy proxy = client.createProxy("order", "127.0.0.1:0", echo.address());
        proxy.toxics().latency("down-1", ToxicDirection.DOWNSTREAM, 1);
        proxy.toxics().latency("up-1", ToxicDirection.UPSTREAM, 1);
        proxy.toxics().bandwidth("down-2", ToxicDirection.DOWNSTREAM, 1);
        proxy.toxics().bandwidth("up-2", ToxicDirection.UPSTREAM, 1);

        List<? extends Toxic> toxics = proxy.toxics().getAll();

        assertThat(toxics).extracting(Toxic::getName).containsExactly("up-1", "up-2", "down-1", "down-2");
        assertThat(toxics.get(0)).isInstanceOf(Latency.class);
        assertThat(toxics.get(1)).isInstanceOf(Bandwidth.class);
    }

    private static void assertRemovable(Proxy proxy, Toxic toxic) throws IOException {
        assertThat(proxy.toxics().getAll()).extracting(Toxic::getName).containsExactly(toxic.getName());
        toxic.remove();
        assertThat(proxy.toxics().getAll()).isEmpty();
        assertThatThrownBy(() -> proxy.toxics().get(toxic.getName()))
                .isInstanceOf(IOException.class)
                .hasMessage("[404] toxic not found");
        assertThatThrownBy(toxic::remove).isInstanceOf(IOException.class);
    }
}
