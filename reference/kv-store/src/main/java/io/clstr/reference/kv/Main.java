package io.clstr.reference.kv;

import io.clstr.reference.raft.ReferenceNode;

/**
 * Entry point of the reference kv-store node: the shared {@link ReferenceNode} (configuration
 * from the environment, {@code REFERENCE_BUG} switching on one bug of {@link Bug}) serving a
 * {@link KvServer}.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        ReferenceNode.run(Bug.class, KvServer::start);
    }
}
