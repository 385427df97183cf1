package io.clstr.reference.kv;

import io.clstr.reference.raft.LogEntry;
import io.clstr.reference.raft.StateMachine;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key-value map that committed log entries are applied to, in log order, by the
 * {@link RaftNode}. Reads come from HTTP threads while entries are applied, so the map is
 * concurrent.
 */
final class KvStateMachine implements StateMachine {

    private volatile Map<String, byte[]> data = new ConcurrentHashMap<>();

    @Override
    public Object apply(LogEntry entry) {
        apply(Command.decode(entry.command()));
        return null;
    }

    void apply(Command command) {
        switch (command.type()) {
            case PUT -> data.put(command.key(), command.value());
            case DELETE -> data.remove(command.key());
            case CLEAR -> data.clear();
        }
    }

    /** The value of {@code key}, or null. Callers must not modify the array. */
    byte[] get(String key) {
        return data.get(key);
    }

    /** For the {@code unsafe-map} bug: a private, unsynchronised copy to write into. */
    Map<String, byte[]> unsafeCopy() {
        return new HashMap<>(data);
    }

    /**
     * For the {@code unsafe-map} bug: swaps a copy in, overwriting whatever changed since it was
     * taken. The copy is published as a concurrent map, so the lost updates are the bug's only
     * effect: {@link #apply} and other copies may touch the published map at the same time.
     */
    void unsafePublish(Map<String, byte[]> copy) {
        data = new ConcurrentHashMap<>(copy);
    }
}
