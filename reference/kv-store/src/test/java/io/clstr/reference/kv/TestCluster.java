package io.clstr.reference.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * N reference nodes as child processes. With {@code faultyLinks}, node i reaches node j only
 * through its own {@link FaultyLink} i-j, so partitions and latency can be injected.
 */
final class TestCluster implements AutoCloseable {

    /** One node's {@code /cluster/info}, or null fields when it did not answer. */
    record Info(NodeProcess node, String role, long term, String leader, int peers) {
        boolean isLeader() {
            return "leader".equals(role);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<NodeProcess> nodes = new ArrayList<>();
    private final FaultyLink[][] links;

    /**
     * The nodes' ports, held open until the nodes start: every port differs (two sockets picked one
     * after the other can get the same free port once the first is closed), and the links' own
     * listeners cannot take one of them meanwhile.
     */
    private final List<ServerSocket> reserved = new ArrayList<>();

    TestCluster(int size, Path workDir, boolean faultyLinks, String bug) throws IOException {
        this(size, workDir, faultyLinks, bug, Map.of());
    }

    /** As the other constructor, with {@code extraEnv} in every node's environment. */
    TestCluster(int size, Path workDir, boolean faultyLinks, String bug, Map<String, String> extraEnv)
            throws IOException {
        int[] ports = new int[size];
        for (int i = 0; i < size; i++) {
            ServerSocket socket = new ServerSocket(0);
            reserved.add(socket);
            ports[i] = socket.getLocalPort();
        }
        links = new FaultyLink[size][size];
        for (int i = 0; i < size; i++) {
            List<String> peers = new ArrayList<>();
            List<String> routes = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                if (i == j) {
                    continue;
                }
                if (faultyLinks) {
                    links[i][j] = new FaultyLink(ports[j]);
                    peers.add(links[i][j].route());
                } else {
                    peers.add("127.0.0.1:" + ports[j]);
                }
                routes.add("127.0.0.1:" + ports[j] + "=" + peers.get(peers.size() - 1));
            }
            Map<String, String> env = new LinkedHashMap<>(extraEnv);
            env.put("ROUTES", String.join(",", routes)); // identities behind the routes, as clstr gives them
            nodes.add(new NodeProcess("n" + (i + 1), ports[i], peers, workDir, bug, env));
        }
    }

    TestCluster start() throws IOException {
        for (ServerSocket socket : reserved) {
            socket.close();
        }
        reserved.clear();
        for (NodeProcess node : nodes) {
            node.launch();
        }
        return this;
    }

    Info info(NodeProcess node) {
        try {
            HttpResponse<String> response = node.get("/cluster/info");
            if (response.statusCode() != 200) {
                return new Info(node, null, -1, null, -1);
            }
            JsonNode json = JSON.readTree(response.body());
            JsonNode leader = json.get("leader");
            return new Info(
                    node,
                    json.get("role").asText(),
                    json.get("term").asLong(),
                    leader == null || leader.isNull() ? null : leader.asText(),
                    json.get("peers").size());
        } catch (IOException e) {
            return new Info(node, null, -1, null, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Info> infos(Collection<NodeProcess> of) {
        List<Info> result = new ArrayList<>();
        for (NodeProcess node : of) {
            if (node.isRunning()) {
                result.add(info(node));
            }
        }
        return result;
    }

    /**
     * Waits up to {@code millis} for exactly one leader among {@code of} that every one of them
     * follows; returns it.
     */
    Optional<Info> awaitAgreedLeader(Collection<NodeProcess> of, long millis, Predicate<Info> extra)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            List<Info> infos = infos(of);
            List<Info> leaders = infos.stream().filter(Info::isLeader).toList();
            if (leaders.size() == 1 && extra.test(leaders.get(0))) {
                Info leader = leaders.get(0);
                String id = leader.node().addr();
                boolean agreed = infos.stream().allMatch(i -> id.equals(i.leader()) && i.term() == leader.term());
                if (agreed) {
                    return Optional.of(leader);
                }
            }
            Thread.sleep(25);
        }
        return Optional.empty();
    }

    /** The {@code index:term} sequence of a node's log, or null when it does not answer. */
    List<String> logTerms(NodeProcess node) {
        try {
            HttpResponse<String> response = node.get("/log");
            if (response.statusCode() != 200) {
                return null;
            }
            List<String> terms = new ArrayList<>();
            for (JsonNode entry : JSON.readTree(response.body()).get("entries")) {
                terms.add(entry.get("index").asLong() + ":" + entry.get("term").asLong());
            }
            return terms;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Cuts every link between the groups both ways (black holes); links inside a group stay up. */
    void partition(List<List<NodeProcess>> groups) {
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = 0; j < nodes.size(); j++) {
                if (links[i][j] != null) {
                    links[i][j].blackHole(groupOf(groups, nodes.get(i)) != groupOf(groups, nodes.get(j)));
                }
            }
        }
    }

    void heal() {
        for (FaultyLink[] row : links) {
            for (FaultyLink link : row) {
                if (link != null) {
                    link.blackHole(false);
                }
            }
        }
    }

    /** Loses a share of the connections every node opens and of the answers it sends. */
    void lossEverywhere(double probability) {
        for (FaultyLink[] row : links) {
            for (FaultyLink link : row) {
                if (link != null) {
                    link.loss(probability, probability);
                }
            }
        }
    }

    /** Delays everything {@code node} sends: its requests to peers and its answers to theirs. */
    void slowDown(NodeProcess node, long millis) {
        int n = nodes.indexOf(node);
        for (int j = 0; j < nodes.size(); j++) {
            if (links[n][j] != null) {
                links[n][j].requestLatency(millis);
            }
            if (links[j][n] != null) {
                links[j][n].responseLatency(millis);
            }
        }
    }

    private static int groupOf(List<List<NodeProcess>> groups, NodeProcess node) {
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).contains(node)) {
                return g;
            }
        }
        return -1;
    }

    String logs() {
        StringBuilder out = new StringBuilder();
        for (NodeProcess node : nodes) {
            out.append("---- ")
                    .append(node.name)
                    .append(" (")
                    .append(node.addr())
                    .append(")\n")
                    .append(node.log());
        }
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerSocket socket : reserved) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // a reserved port that never served anything
            }
        }
        for (NodeProcess node : nodes) {
            node.kill();
        }
        for (FaultyLink[] row : links) {
            for (FaultyLink link : row) {
                if (link != null) {
                    link.close();
                }
            }
        }
    }
}
