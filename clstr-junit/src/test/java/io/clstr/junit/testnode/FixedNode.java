package io.clstr.junit.testnode;

import io.clstr.junit.Node;
import io.clstr.junit.NodeState;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Node} for tests of the check and history code: it is always running, has no data folder
 * and no log, and refuses every lifecycle call. Subclasses say where it is.
 */
public abstract class FixedNode implements Node {
    private final String name;

    protected FixedNode(String name) {
        this.name = name;
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
    public Path dataDir() {
        return null;
    }

    @Override
    public NodeState state() {
        return NodeState.RUNNING;
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("a fixed node has no lifecycle");
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("a fixed node has no lifecycle");
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("a fixed node has no lifecycle");
    }

    @Override
    public void restart(Restart how) {
        throw new UnsupportedOperationException("a fixed node has no lifecycle");
    }

    @Override
    public void pause() {
        throw new UnsupportedOperationException("a fixed node has no lifecycle");
    }

    @Override
    public void resume() {
        throw new UnsupportedOperationException("a fixed node has no lifecycle");
    }

    @Override
    public List<String> logTail(int lines) {
        return List.of();
    }
}
