/** The docker runtime: a container per node, a Toxiproxy container for the proxies, cleanup by label. */
package io.clstr.junit.internal.docker;
