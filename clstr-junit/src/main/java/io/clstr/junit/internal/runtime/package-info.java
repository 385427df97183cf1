/** Runtimes that start, signal and end the nodes of a cluster: local process groups or Docker containers. */
package io.clstr.junit.internal.runtime;
