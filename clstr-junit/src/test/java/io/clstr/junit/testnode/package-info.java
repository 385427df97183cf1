/** Test-only programs that stand in for a learner's server and for a clstr run in another JVM. */
package io.clstr.junit.testnode;
