/**
 * Checkers for Kafka-style stream workloads (append-only logs per key with offsets, polls from an
 * offset, committed offsets per consumer group): the operations as the checkers see them
 * ({@link io.clstr.junit.stream.StreamInput}, {@link io.clstr.junit.stream.StreamOutput}) and the
 * properties of Jepsen's Kafka checker that hold for such a log ({@link io.clstr.junit.stream.StreamChecks}),
 * for {@code cluster.assertHolds}.
 */
package io.clstr.junit.stream;
