/**
 * The docker runtime: one container per node on a private network, a Toxiproxy container for the node-to-node
 * proxies, images built from the challenge folder's Dockerfile, and cleanup by label. Internal to clstr.
 */
package io.clstr.junit.docker;
