package io.clstr.junit.check;

import io.clstr.junit.NodeState;
import io.clstr.junit.testnode.FixedNode;
import java.net.URI;

/** A node whose ADDR (identity) differs from the URI that reaches it, as in the docker runtime. */
final class FakeNode extends FixedNode {
    private final String addr;
    private final URI uri;
    private volatile NodeState state = NodeState.RUNNING;

    FakeNode(String name, String addr, URI uri) {
        super(name);
        this.addr = addr;
        this.uri = uri;
    }

    void state(NodeState state) {
        this.state = state;
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
    public NodeState state() {
        return state;
    }

    @Override
    public String toString() {
        return name();
    }
}
