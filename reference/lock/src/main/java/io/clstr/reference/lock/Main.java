package io.clstr.reference.lock;

import io.clstr.reference.raft.ReferenceNode;

/**
 * Entry point of the reference lock node: the shared {@link ReferenceNode} (configuration from
 * the environment, {@code REFERENCE_BUG} switching on one bug of {@link Bug}) serving a
 * {@link LockServer}.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        ReferenceNode.run(Bug.class, LockServer::start);
    }
}
