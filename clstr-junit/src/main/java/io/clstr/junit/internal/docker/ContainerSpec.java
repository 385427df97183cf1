package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A container of a run: on the run's network at a fixed address, one port published on 127.0.0.1 only (at a
 * port the engine picks anew at every start), the json-file log driver (so its output can be followed across
 * restarts), the run's labels, and optionally a volume.
 *
 * @param name    container name, also its host name
 * @param image   image name or id
 * @param network the run's network
 * @param ip      the container's fixed address on it
 * @param port    the port to publish on 127.0.0.1
 * @param env     environment as {@code NAME=value}
 * @param cmd     the command, or null for the image's
 * @param volume  a volume to mount at {@link #DATA}, or null
 * @param labels  labels
 */
record ContainerSpec(
        String name,
        String image,
        String network,
        String ip,
        int port,
        List<String> env,
        List<String> cmd,
        String volume,
        Map<String, String> labels) {
    /** Where a node's data volume is mounted: its {@code DATA_DIR}. */
    static final String DATA = "/app/data";

    private static final String LOOPBACK = "127.0.0.1";

    /** Creates the container (not started) and returns its id. */
    String create(DockerClient client) {
        ExposedPort exposed = ExposedPort.tcp(port);
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(network)
                .withPortBindings(new PortBinding(Ports.Binding.bindIp(LOOPBACK), exposed))
                .withLogConfig(
                        new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "20m", "max-file", "2")));
        if (volume != null) {
            host.withBinds(new Bind(volume, new Volume(DATA)));
        }
        CreateContainerCmd cmdBuilder = client.createContainerCmd(image)
                .withName(name)
                .withHostName(name)
                .withEnv(env)
                .withLabels(labels)
                .withExposedPorts(exposed)
                .withIpv4Address(ip)
                .withHostConfig(host);
        if (cmd != null) {
            cmdBuilder.withCmd(cmd);
        }
        return cmdBuilder.exec().getId();
    }

    /** The host port (on 127.0.0.1) published for {@code port} of a running container, if the engine shows it. */
    static OptionalInt publishedPort(InspectContainerResponse container, int port) {
        Ports ports = container.getNetworkSettings() == null
                ? null
                : container.getNetworkSettings().getPorts();
        Ports.Binding[] bindings = ports == null ? null : ports.getBindings().get(ExposedPort.tcp(port));
        if (bindings == null) {
            return OptionalInt.empty();
        }
        for (Ports.Binding b : bindings) {
            if (b.getHostPortSpec() != null && !b.getHostPortSpec().isEmpty()) {
                return OptionalInt.of(Integer.parseInt(b.getHostPortSpec()));
            }
        }
        return OptionalInt.empty();
    }
}
