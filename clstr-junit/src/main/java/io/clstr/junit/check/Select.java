package io.clstr.junit.check;

import io.clstr.junit.Node;
import io.clstr.junit.check.Selector.Quantifier;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Node selectors for HTTP checks; import them statically:
 * {@code checks.get(atLeastOne(), "/cluster/info")}.
 *
 * <p>"Live" means running or paused: a paused node is requested and will time out.
 * Requests to several nodes are sent concurrently.
 */
public final class Select {

    private Select() {}

    /** That node, whatever its state. */
    public static Selector node(Node node) {
        Objects.requireNonNull(node, "node");
        return new Selector("node(" + node.name() + ")", Quantifier.EACH, List.of(node), false);
    }

    /** Each of these nodes, whatever their state; every one must meet the expectations. */
    public static Selector nodes(Node... nodes) {
        if (nodes.length == 0) {
            throw new IllegalArgumentException("nodes() needs at least one node");
        }
        List<Node> list = Arrays.asList(nodes.clone());
        list.forEach(n -> Objects.requireNonNull(n, "node"));
        return new Selector("nodes(" + names(list) + ")", Quantifier.EACH, list, false);
    }

    /** Every live node; every one must meet the expectations. */
    public static Selector all() {
        return new Selector("all()", Quantifier.EACH, List.of(), true);
    }

    /** Every live node except these; every one must meet the expectations. */
    public static Selector allExcept(Node... excluded) {
        List<Node> list = Arrays.asList(excluded.clone());
        list.forEach(n -> Objects.requireNonNull(n, "node"));
        return new Selector("allExcept(" + names(list) + ")", Quantifier.EACH, list, true);
    }

    /** Every live node; passes when at least one meets the expectations. */
    public static Selector atLeastOne() {
        return new Selector("atLeastOne()", Quantifier.AT_LEAST_ONE, List.of(), true);
    }

    /** Every live node; passes when exactly one meets the expectations. */
    public static Selector exactlyOne() {
        return new Selector("exactlyOne()", Quantifier.EXACTLY_ONE, List.of(), true);
    }

    private static String names(List<Node> nodes) {
        return nodes.stream().map(Node::name).collect(Collectors.joining(", "));
    }
}
