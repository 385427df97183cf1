/**
 * Checkers for the lock service (spec/lock.md): leases, locks, fencing tokens, fair queues and
 * watches as the checkers see them ({@link io.clstr.junit.lock.LockInput},
 * {@link io.clstr.junit.lock.LockOutput}, {@link io.clstr.junit.lock.WatchInput},
 * {@link io.clstr.junit.lock.WatchOutput}) and their properties ({@link io.clstr.junit.lock.LockChecks},
 * {@link io.clstr.junit.lock.WatchChecks}), for {@code cluster.assertHolds}.
 */
package io.clstr.junit.lock;
