package io.clstr.reference.kv;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clstr.reference.raft.LogEntry;
import io.clstr.reference.raft.StateMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key-value map that committed log entries are applied to, in log order, by the
 * {@link RaftNode}. Reads come from HTTP threads while entries are applied, so the map is
 * concurrent.
 *
 * <p>A snapshot is the map as JSON, keys in order, each value base64 (values are raw bytes and
 * come back byte for byte, UTF-8 or not): {@code {"key": "dmFsdWU=", ...}}.
 */
final class KvStateMachine implements StateMachine {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, byte[]>> SNAPSHOT_TYPE = new TypeReference<>() {};

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

    @Override
    public boolean snapshots() {
        return true;
    }

    @Override
    public byte[] snapshot() {
        try {
            return JSON.writeValueAsBytes(new TreeMap<>(data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the map", e);
        }
    }

    @Override
    public void restore(byte[] snapshot) {
        Map<String, byte[]> restored;
        try {
            restored = JSON.readValue(snapshot, SNAPSHOT_TYPE);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a snapshot of the key-value map: " + e.getMessage(), e);
        }
        if (restored == null || restored.containsValue(null)) {
            throw new IllegalArgumentException("not a snapshot of the key-value map: a null map or value");
        }
        data = new ConcurrentHashMap<>(restored);
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
