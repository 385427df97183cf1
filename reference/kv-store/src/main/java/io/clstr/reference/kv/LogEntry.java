package io.clstr.reference.kv;

/** One entry of the Raft log: its position, the term of the leader that created it, and its command. */
record LogEntry(long index, long term, Command command) {}
