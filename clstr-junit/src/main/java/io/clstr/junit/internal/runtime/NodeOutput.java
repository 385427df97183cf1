package io.clstr.junit.internal.runtime;

/** Receives every line a node prints, as it prints it. */
@FunctionalInterface
public interface NodeOutput {
    void line(String node, String text);
}
