package io.clstr.junit.check;

import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.internal.check.Http;
import io.clstr.junit.internal.check.HttpChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cluster of fake nodes, each backed by a {@link FakeServer}. Node nN's ADDR is
 * {@code 10.0.42.(100+N):8080}, which is not where it listens, as in the docker runtime.
 */
final class FakeCluster implements CheckContext, AutoCloseable {

    private final List<FakeServer> servers = new ArrayList<>();
    private final List<FakeNode> nodes = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Http http = new Http(this::nodes);
    private volatile Duration requestTimeout = Duration.ofSeconds(5);
    private volatile Duration pollInterval = Duration.ofMillis(20);

    FakeCluster(int size) {
        for (int i = 1; i <= size; i++) {
            FakeServer server = FakeServer.start();
            servers.add(server);
            nodes.add(new FakeNode("n" + i, "10.0.42." + (100 + i) + ":8080", server.uri()));
        }
    }

    FakeNode node(int number) {
        return nodes.get(number - 1);
    }

    FakeServer server(int number) {
        return servers.get(number - 1);
    }

    HttpChecks checks() {
        return new HttpChecks(this);
    }

    List<String> events() {
        return List.copyOf(events);
    }

    FakeCluster requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    FakeCluster pollInterval(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    @Override
    public List<FakeNode> nodes() {
        return nodes;
    }

    @Override
    public Http http() {
        return http;
    }

    @Override
    public void event(String text) {
        events.add(text);
    }

    @Override
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public void close() {
        http.close();
        servers.forEach(FakeServer::close);
    }
}
