package io.clstr.junit.history;

/** A fault event (partition, kill, heal...) at {@code nanos} since the history started. */
public record Fault(long nanos, String text) {}
