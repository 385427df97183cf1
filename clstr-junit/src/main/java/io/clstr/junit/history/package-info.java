/** Recorded client histories (invoke/complete with ok, fail, info), a recording kv-store client and HTML timelines. */
package io.clstr.junit.history;
