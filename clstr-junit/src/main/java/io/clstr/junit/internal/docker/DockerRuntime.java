package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.runtime.NodeOutput;
import io.clstr.junit.internal.runtime.NodeRuntime;
import io.clstr.junit.internal.runtime.NodeSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each node as a container (DESIGN.md §3): the image is built from the challenge folder's Dockerfile once
 * per JVM and kept, tagged per folder, for the next run; the nodes and the Toxiproxy container share a network
 * with a fixed subnet; each node has a data volume. Everything the runtime creates carries the run's labels
 * ({@link RunLabels}).
 *
 * <p>Creating a runtime removes what earlier runs whose JVM is gone left behind. {@link #close()} — also run by
 * a JVM shutdown hook (Ctrl-C) — removes the run's containers, network and volumes; the image stays.
 */
public final class DockerRuntime implements NodeRuntime {
    /** Node name to notices about the run itself (leftovers removed); the Toxiproxy container logs as {@value #TOXIPROXY}. */
    public static final String DOCKER = "docker";
    /** The Toxiproxy container's name in the run's log. */
    public static final String TOXIPROXY = "toxiproxy";
    /** Images built in this JVM, by challenge folder: a run builds each folder's image once. */
    private static final Map<Path, String> BUILT = new ConcurrentHashMap<>();

    private final Path folder;
    private final DockerOptions options;
    private final NodeOutput output;
    private final DockerClient client;
    private final RunLabels labels = RunLabels.create();
    private final Thread shutdownHook = new Thread(this::removeAll, "clstr-docker-runtime-shutdown");
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final List<DockerNode> nodes = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private String imageId;
    /** Guarded by {@link #lock}. */
    private String network;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /**
     * @param folder  the challenge folder, which must hold a Dockerfile
     * @param options subnet and Toxiproxy image
     * @param output  receives every line the containers print (and the runtime's own notices, as {@value #DOCKER})
     */
    public DockerRuntime(Path folder, DockerOptions options, NodeOutput output) {
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        this.options = Objects.requireNonNull(options, "options");
        this.output = Objects.requireNonNull(output, "output");
        if (!Files.isRegularFile(this.folder.resolve(ImageBuilder.DOCKERFILE))) {
            throw RuntimeSelection.noDockerfile(this.folder);
        }
        this.client = DockerEngine.require().client();
        List<String> removed = new Leftovers(client).removeDeadRuns();
        if (!removed.isEmpty()) {
            output.line(DOCKER, "removed what crashed runs left behind: " + String.join(", ", removed));
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public String name() {
        return DOCKER;
    }

    /** The challenge folder, absolute. */
    public Path folder() {
        return folder;
    }

    /** This run's id, part of every resource's name and label. */
    public String runId() {
        return labels.runId();
    }

    /** The tag of the folder's image: {@code clstr/challenge-<folder name>:<hash of the folder's path>}. */
    public String imageTag() {
        String name =
                folder.getFileName() == null ? "root" : folder.getFileName().toString();
        name = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(folder.toString().getBytes(StandardCharsets.UTF_8));
            return "clstr/challenge-" + (name.isEmpty() ? "root" : name) + ":"
                    + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds the folder's image, once per JVM; a failed build or pull throws {@link SetupException} (exit 2). */
    @Override
    public void build() {
        synchronized (lock) {
            requireOpen();
            if (imageId != null) {
                return;
            }
        }
        // Outside the lock: the shutdown hook takes it, and a Ctrl-C during a long build must not wait
        // for the build to end.
        String id = BUILT.computeIfAbsent(folder, f -> new ImageBuilder(client)
                .build(f, imageTag(), Map.of(RunLabels.CLSTR + ".folder", f.toString())));
        synchronized (lock) {
            requireOpen();
            imageId = id;
        }
    }

    /**
     * Creates the run's network and starts the Toxiproxy container for {@code names} (every node's name, in
     * order); {@code seed} drives the Toxiproxy server's random choices.
     */
    public DockerLayout layout(List<String> names, long seed) {
        String net;
        synchronized (lock) {
            requireOpen();
            if (names.size() > Subnet.MAX_NODES) {
                throw new SetupException("the docker runtime runs at most " + Subnet.MAX_NODES + " nodes");
            }
            if (network == null) {
                network = createNetwork();
            }
            net = network;
        }
        // Outside the lock, like the build: resolving (perhaps building) the Toxiproxy image and waiting
        // for its container must not hold up a Ctrl-C's cleanup.
        ToxiproxyImage images = new ToxiproxyImage(client);
        String image = images.resolve(
                options.toxiproxyImage(), options.defaultToxiproxyImage(), notice -> output.line(TOXIPROXY, notice));
        ToxiproxyContainer toxiproxy = ToxiproxyContainer.start(
                client, image, net, options.subnet(), labels, seed, line -> output.line(TOXIPROXY, line));
        synchronized (lock) {
            if (closed) {
                // the cleanup ran while the container started: it may have missed it
                new Leftovers(client).removeRun(labels.runId());
                requireOpen();
            }
            return new DockerLayout(options.subnet(), toxiproxy, names);
        }
    }

    /** A node that has not started yet; its container and volume are created at its first start. */
    @Override
    public DockerNode create(NodeSpec spec) {
        synchronized (lock) {
            requireOpen();
            if (imageId == null || network == null) {
                throw new IllegalStateException("build() and layout() come before the nodes");
            }
            DockerNode node = new DockerNode(this, spec, labels.name(spec.name() + "-data"));
            nodes.add(node);
            return node;
        }
    }

    /** Removes the run's containers, network and volumes (the image stays); idempotent. */
    @Override
    public void close() {
        try {
            removeAll();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) removeAll, which is idempotent
            }
        }
    }

    private void removeAll() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                new Leftovers(client).removeRun(labels.runId());
            } finally {
                for (DockerNode node : nodes) {
                    node.release();
                }
            }
        }
    }

    // ---- used by DockerNode

    DockerClient client() {
        return client;
    }

    NodeOutput output() {
        return output;
    }

    /** Creates {@code spec}'s volume and container (not started); returns the container's id. */
    String createContainer(NodeSpec spec, String volume) {
        String image;
        String net;
        synchronized (lock) {
            requireOpen();
            image = imageId;
            net = network;
        }
        client.createVolumeCmd().withName(volume).withLabels(labels.labels()).exec();
        String ip = spec.addr().substring(0, spec.addr().lastIndexOf(':'));
        return new ContainerSpec(
                        labels.name(spec.name()),
                        image,
                        net,
                        ip,
                        spec.port(),
                        DockerNode.env(spec.env()),
                        null,
                        volume,
                        labels.labels())
                .create(client);
    }

    private String createNetwork() {
        Subnet subnet = options.subnet();
        try {
            return client.createNetworkCmd()
                    .withName(labels.name("net"))
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withIpam(new Network.Ipam()
                            .withConfig(new Network.Ipam.Config()
                                    .withSubnet(subnet.cidr())
                                    .withIpRange(subnet.dynamicRange())
                                    .withGateway(subnet.gateway())))
                    .withLabels(labels.labels())
                    .exec()
                    .getId();
        } catch (DockerException e) {
            String message = EngineErrors.message(e);
            if (!message.contains("overlap")) {
                throw e;
            }
            List<String> owners = new Leftovers(client).liveOwners();
            throw new SetupException("the subnet " + subnet + " is taken"
                    + (owners.isEmpty()
                            ? " by another Docker network"
                            : " by another clstr run (" + String.join(", ", owners) + ")")
                    + ": wait for it to end, or choose another with -D" + DockerOptions.SUBNET + "=<cidr>");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the docker runtime for " + folder + " is closed");
        }
    }
}
