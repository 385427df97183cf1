/** Where a stage's wall time goes: the waits its spec imposes against the harness's own time (internal). */
package io.clstr.junit.internal.timing;
