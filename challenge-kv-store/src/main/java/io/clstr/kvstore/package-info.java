/** The stages of the {@code kv-store} challenge (a Raft key-value store) and their registration. */
package io.clstr.kvstore;
