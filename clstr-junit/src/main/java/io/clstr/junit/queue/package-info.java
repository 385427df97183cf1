/**
 * Checkers for queue workloads (at-least-once delivery with visibility leases): the operations as
 * the checkers see them ({@link io.clstr.junit.queue.QueueInput}, {@link io.clstr.junit.queue.QueueOutput})
 * and the properties ({@link io.clstr.junit.queue.QueueChecks}), for {@code cluster.assertHolds}.
 */
package io.clstr.junit.queue;
