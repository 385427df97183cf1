package io.clstr.junit.linearizability;

import java.util.Arrays;

/** An immutable key-value map (keys sorted, absent and "" alike) with a cached hash. */
final class KvState {

    static final KvState EMPTY = new KvState(new String[0], new String[0]);

    private final String[] keys;
    private final String[] values;
    private final int hash;

    private KvState(String[] keys, String[] values) {
        this.keys = keys;
        this.values = values;
        this.hash = 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
    }

    /** The value at {@code key}, "" if absent. */
    String get(String key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? values[i] : "";
    }

    /** This map with {@code key} set to {@code value} ("" removes it). */
    KvState with(String key, String value) {
        int i = Arrays.binarySearch(keys, key);
        if (i >= 0) {
            if (values[i].equals(value)) {
                return this;
            }
            if (value.isEmpty()) {
                return without(i);
            }
            String[] v = values.clone();
            v[i] = value;
            return new KvState(keys, v);
        }
        if (value.isEmpty()) {
            return this;
        }
        int at = -i - 1;
        String[] k = new String[keys.length + 1];
        String[] v = new String[keys.length + 1];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        k[at] = key;
        v[at] = value;
        System.arraycopy(keys, at, k, at + 1, keys.length - at);
        System.arraycopy(values, at, v, at + 1, keys.length - at);
        return new KvState(k, v);
    }

    private KvState without(int at) {
        String[] k = new String[keys.length - 1];
        String[] v = new String[keys.length - 1];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        System.arraycopy(keys, at + 1, k, at, k.length - at);
        System.arraycopy(values, at + 1, v, at, v.length - at);
        return new KvState(k, v);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KvState s
                && s.hash == hash
                && Arrays.equals(s.keys, keys)
                && Arrays.equals(s.values, values);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            out.append(i == 0 ? "" : ", ").append(keys[i]).append('=').append(values[i]);
        }
        return out.append('}').toString();
    }
}
