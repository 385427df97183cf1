package io.clstr.junit.check;

import io.clstr.junit.Node;
import io.clstr.junit.NodeState;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** A node whose ADDR (identity) differs from the URI that reaches it, as in the docker runtime. */
final class FakeNode implements Node {
    private final String name;
    private final String addr;
    private final URI uri;
    private volatile NodeState state = NodeState.RUNNING;

    FakeNode(String name, String addr, URI uri) {
        this.name = name;
        this.addr = addr;
        this.uri = uri;
    }

    void state(NodeState state) {
        this.state = state;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int number() {
        return Integer.parseInt(name.substring(1));
    }

    @Override
    public String addr() {
        return addr;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Path dataDir() {
        return null;
    }

    @Override
    public NodeState state() {
        return state;
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void restart(Restart how) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void pause() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void resume() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> logTail(int lines) {
        return List.of();
    }

    @Override
    public String toString() {
        return name;
    }
}
