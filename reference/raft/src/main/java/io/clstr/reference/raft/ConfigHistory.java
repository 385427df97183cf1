package io.clstr.reference.raft;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations this node's log holds, so that the one in force is always the latest appended
 * (committed or not) and a truncated suffix takes its configurations with it. Below the log sits a
 * base: the configuration of the environment ({@code PEERS}) or, once the log is compacted, the one
 * in force at the snapshot.
 */
final class ConfigHistory {

    private long baseIndex;
    private Configuration base;
    private final TreeMap<Long, Configuration> inLog = new TreeMap<>();

    ConfigHistory(Configuration initial) {
        this.base = initial;
    }

    /** The configuration in force: the latest appended. */
    Configuration latest() {
        return inLog.isEmpty() ? base : inLog.lastEntry().getValue();
    }

    /** The index of the latest configuration's entry, or the base's index (0 for the environment's). */
    long latestIndex() {
        return inLog.isEmpty() ? baseIndex : inLog.lastKey();
    }

    /** The configuration in force at {@code index}: the latest appended at or before it. */
    Configuration at(long index) {
        Map.Entry<Long, Configuration> entry = inLog.floorEntry(index);
        return entry == null ? base : entry.getValue();
    }

    /** Records the entry at {@code index} if it is a configuration; returns whether it was. */
    boolean appended(LogEntry entry) {
        if (!Configuration.isEntry(entry.command())) {
            return false;
        }
        inLog.put(entry.index(), Configuration.decode(entry.command()));
        return true;
    }

    /** Forgets configurations at {@code index} and after: the log was truncated there. */
    void truncatedFrom(long index) {
        inLog.tailMap(index, true).clear();
    }

    /** The log up to {@code index} became a snapshot whose configuration is {@code config}. */
    void compactedTo(long index, Configuration config) {
        inLog.headMap(index, true).clear();
        baseIndex = index;
        base = config;
    }
}
