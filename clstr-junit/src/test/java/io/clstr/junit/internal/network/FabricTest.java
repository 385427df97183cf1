package io.clstr.junit.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric's faults on real proxies of the embedded Toxiproxy server, with plain sockets for nodes. */
class FabricTest {

    private static final String HOST = "127.0.0.1";
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @TempDir
    Path dir;

    /**
     * A new partition that keeps a pair apart keeps its black holes: an open connection between
     * the two is neither closed nor let through while the partition changes.
     */
    @Test
    void aPairApartBeforeAndAfterANewPartitionStaysApartThroughout() throws IOException {
        try (ServerSocket node = new ServerSocket(0, 50, InetAddress.getByName(HOST));
                ToxiproxyServer server = ToxiproxyServer.start(HOST, 0, 1);
                RunLog log = RunLog.create(dir)) {
            Map<String, Integer> listen = new HashMap<>();
            List<ProxyRoute> routes = new ArrayList<>();
            for (String from : NODES) {
                for (String to : NODES) {
                    if (!from.equals(to)) {
                        int port = freePort();
                        listen.put(from + "-" + to, port);
                        String address = HOST + ":" + port;
                        routes.add(new ProxyRoute(from, to, address, HOST + ":" + node.getLocalPort(), address));
                    }
                }
            }
            try (Fabric fabric = Fabric.create(() -> new ToxiproxyClient(HOST, server.port()), log, NODES, routes)) {
                fabric.partition(List.of(List.of("n1"), List.of("n2", "n3")));
                node.setSoTimeout(5000);
                try (Socket client = new Socket(HOST, listen.get("n1-n3"));
                        Socket accepted = node.accept()) {
                    client.setSoTimeout(300);
                    accepted.setSoTimeout(300);
                    client.getOutputStream().write("before".getBytes(StandardCharsets.UTF_8));
                    assertSilent(accepted.getInputStream());

                    fabric.partition(List.of(List.of("n1", "n2"), List.of("n3")));
                    client.getOutputStream().write("after".getBytes(StandardCharsets.UTF_8));
                    accepted.getOutputStream().write("reply".getBytes(StandardCharsets.UTF_8));

                    assertSilent(accepted.getInputStream());
                    assertSilent(client.getInputStream());
                }
                assertThat(fabric.toxicNames("n1-n3"))
                        .containsExactlyInAnyOrder("partition_upstream", "partition_downstream");
                assertThat(fabric.toxicNames("n2-n3"))
                        .containsExactlyInAnyOrder("partition_upstream", "partition_downstream");
                assertThat(fabric.toxicNames("n1-n2")).isEmpty();
                assertThat(fabric.toxicNames("n2-n1")).isEmpty();
            }
        }
    }

    /** Nothing arrives and the connection stays open: a read waits until its timeout. */
    private static void assertSilent(InputStream in) {
        assertThatThrownBy(in::read)
                .as("the connection is black-holed: open, and nothing comes through")
                .isInstanceOf(SocketTimeoutException.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        }
    }
}
