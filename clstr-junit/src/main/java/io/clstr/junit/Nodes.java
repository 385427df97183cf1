package io.clstr.junit;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Words and values for sets of nodes, for hints and failure messages. */
public final class Nodes {

    private Nodes() {}

    /** {@code n1, n2, n3}. */
    public static String names(Collection<? extends Node> nodes) {
        return nodes.stream().map(Node::name).collect(Collectors.joining(", "));
    }

    /** The nodes' identities ({@code ADDR}s), in order. */
    public static List<String> addrs(Collection<? extends Node> nodes) {
        return nodes.stream().map(Node::addr).toList();
    }
}
