package io.clstr.junit.check;

import io.clstr.junit.Node;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which nodes a check sends its request to, and how many of them must meet its
 * expectations. Made by the factories of {@link Select}.
 */
public final class Selector {

    /** How many of the requested nodes must meet the expectations. */
    enum Quantifier {
        EACH,
        AT_LEAST_ONE,
        EXACTLY_ONE
    }

    private final String name;
    private final Quantifier quantifier;
    private final List<Node> named;
    private final boolean liveOnly;

    Selector(String name, Quantifier quantifier, List<Node> named, boolean liveOnly) {
        this.name = name;
        this.quantifier = quantifier;
        this.named = List.copyOf(named);
        this.liveOnly = liveOnly;
    }

    Quantifier quantifier() {
        return quantifier;
    }

    /** The nodes to request now: the named ones, or the live nodes (minus the named ones). */
    List<Node> targets(List<? extends Node> clusterNodes) {
        if (!liveOnly) {
            return named;
        }
        Set<String> excluded = named.stream().map(Node::name).collect(Collectors.toSet());
        return clusterNodes.stream()
                .filter(n -> n.state().isLive() && !excluded.contains(n.name()))
                .map(n -> (Node) n)
                .toList();
    }

    /** Whether {@code met} of {@code requested} nodes meeting the expectations is a pass. */
    boolean accepts(int met, int requested) {
        return switch (quantifier) {
            case EACH -> requested > 0 && met == requested;
            case AT_LEAST_ONE -> met >= 1;
            case EXACTLY_ONE -> met == 1;
        };
    }

    /** Names the nodes in words when none is live, such as "every live node except n1". */
    String describeInWords() {
        String except = named.stream().map(Node::name).collect(Collectors.joining(", "));
        return switch (quantifier) {
            case EACH -> liveOnly ? (named.isEmpty() ? "every live node" : "every live node except " + except) : except;
            case AT_LEAST_ONE, EXACTLY_ONE -> "the live nodes";
        };
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selector s
                && s.name.equals(name)
                && s.quantifier == quantifier
                && s.liveOnly == liveOnly
                && s.named.equals(named);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, quantifier, named, liveOnly);
    }
}
