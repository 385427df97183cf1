package io.clstr.junit.internal.docker;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.clstr.junit.internal.network.ProxyRoute;
import io.clstr.junit.internal.runtime.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The docker runtime's layout (DESIGN.md §3–4): node nN at {@code <subnet>.(100+N):8080}, {@code DATA_DIR}
 * {@value ContainerSpec#DATA}, and proxy {@code ni-nj} listening in the Toxiproxy container at
 * {@code 0.0.0.0:<port>}, given to ni as {@code <subnet>.2:<port>}, upstream to nj's {@code ADDR}.
 */
public final class DockerLayout implements Layout {
    /** The port every node listens on, as on clstr.io. */
    public static final int NODE_PORT = 8080;
    /** Proxy k (1-based, in pair order) listens at this plus k. */
    private static final int PROXY_PORTS = 10000;

    private final Subnet subnet;
    private final ToxiproxyContainer toxiproxy;
    private final List<ProxyRoute> routes = new ArrayList<>();

    DockerLayout(Subnet subnet, ToxiproxyContainer toxiproxy, List<String> names) {
        this.subnet = subnet;
        this.toxiproxy = toxiproxy;
        int next = PROXY_PORTS;
        for (int i = 0; i < names.size(); i++) {
            for (int j = 0; j < names.size(); j++) {
                if (i != j) {
                    int port = ++next;
                    routes.add(new ProxyRoute(
                            names.get(i), names.get(j), "0.0.0.0:" + port, addr(j), subnet.toxiproxy() + ":" + port));
                }
            }
        }
    }

    @Override
    public String addr(int index) {
        return subnet.node(index + 1) + ":" + NODE_PORT;
    }

    @Override
    public int port(int index) {
        return NODE_PORT;
    }

    @Override
    public String dataDir(int index, Path hostDir) {
        return ContainerSpec.DATA;
    }

    @Override
    public List<ProxyRoute> routes() {
        return List.copyOf(routes);
    }

    /** A client of the Toxiproxy container's API, published on 127.0.0.1. */
    @Override
    public ToxiproxyClient toxiproxy() {
        return new ToxiproxyClient("127.0.0.1", toxiproxy.apiPort());
    }

    /** The image the Toxiproxy container runs. */
    public String toxiproxyImage() {
        return toxiproxy.image();
    }

    /** Removes the Toxiproxy container. */
    @Override
    public void close() {
        toxiproxy.close();
    }
}
