/**
 * Raft as the tests see it from outside: {@link io.clstr.junit.raft.RaftView} reads every node's
 * {@code GET /cluster/info} to find the leader the cluster agrees on, the leader elected after a
 * crash or partition, and the leaders each term had. Any challenge whose nodes serve that endpoint
 * can use it.
 */
package io.clstr.junit.raft;
