package io.clstr.junit.linearizability;

import java.util.Arrays;

/**
 * An immutable key-value map (keys sorted, absent and "" alike) with a hash kept up to date on
 * every change. A value is a chain of the pieces appended to it (a put starts a new chain), so an
 * append costs one small object whatever the value's length, and its hash (that of the value's
 * string) follows from the previous one and the piece.
 */
final class KvState {

    static final KvState EMPTY = new KvState(new String[0], new Value[0], 0);

    private final String[] keys;
    private final Value[] values;
    private final int hash;

    private KvState(String[] keys, Value[] values, int hash) {
        this.keys = keys;
        this.values = values;
        this.hash = hash;
    }

    /** Whether the value at {@code key} is {@code expected} ("" for absent). */
    boolean holds(String key, String expected) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? values[i].matches(expected) : expected.isEmpty();
    }

    /**
     * Whether appends to {@code key} could still make its value {@code s}: false when the value is
     * longer than {@code s} or its last piece is not where it would be in {@code s}; true otherwise
     * (the earlier pieces are not compared, which keeps this cheap: a false is certain, a true not).
     */
    boolean mayGrowInto(String key, String s) {
        int i = Arrays.binarySearch(keys, key);
        if (i < 0) {
            return true;
        }
        Value v = values[i];
        return v.length <= s.length() && s.regionMatches(v.length - v.piece.length(), v.piece, 0, v.piece.length());
    }

    /** The value at {@code key}, "" if absent. */
    String get(String key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? values[i].toString() : "";
    }

    /** The value at {@code key} with value equality, "" if absent (cheaper than {@link #get}). */
    Object slot(String key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? values[i] : "";
    }

    /** This map with {@code key} set to {@code value} ("" removes it). */
    KvState with(String key, String value) {
        return set(key, value.isEmpty() ? null : new Value(null, value));
    }

    /** This map with {@code piece} appended to the value at {@code key}. */
    KvState appended(String key, String piece) {
        if (piece.isEmpty()) {
            return this;
        }
        int i = Arrays.binarySearch(keys, key);
        return set(key, new Value(i >= 0 ? values[i] : null, piece));
    }

    private KvState set(String key, Value value) {
        int i = Arrays.binarySearch(keys, key);
        if (i >= 0) {
            if (values[i].equals(value)) {
                return this;
            }
            int rest = hash - entryHash(key, values[i]);
            if (value == null) {
                return without(i, rest);
            }
            Value[] v = values.clone();
            v[i] = value;
            return new KvState(keys, v, rest + entryHash(key, value));
        }
        if (value == null) {
            return this;
        }
        int at = -i - 1;
        String[] k = new String[keys.length + 1];
        Value[] v = new Value[keys.length + 1];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        k[at] = key;
        v[at] = value;
        System.arraycopy(keys, at, k, at + 1, keys.length - at);
        System.arraycopy(values, at, v, at + 1, keys.length - at);
        return new KvState(k, v, hash + entryHash(key, value));
    }

    private KvState without(int at, int hash) {
        String[] k = new String[keys.length - 1];
        Value[] v = new Value[keys.length - 1];
        System.arraycopy(keys, 0, k, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        System.arraycopy(keys, at + 1, k, at, k.length - at);
        System.arraycopy(values, at + 1, v, at, v.length - at);
        return new KvState(k, v, hash);
    }

    /** A key's share of the map's hash: the map's hash is the sum over its keys, so one change costs one update. */
    private static int entryHash(String key, Value value) {
        int h = key.hashCode() * 0x9E3779B9 + value.hash;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        if (!(other instanceof KvState s) || s.hash != hash || s.values.length != values.length) {
            return false;
        }
        if (s.keys != keys && !Arrays.equals(s.keys, keys)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!values[i].equals(s.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            out.append(i == 0 ? "" : ", ").append(keys[i]).append('=').append(values[i]);
        }
        return out.append('}').toString();
    }

    /** A non-empty value: the value before (null: none) and the piece appended to it. */
    static final class Value {
        private final Value before;
        private final String piece;
        private final int length;
        /** The hash of the value's string, as {@link String#hashCode()} computes it. */
        private final int hash;

        Value(Value before, String piece) {
            this.before = before;
            this.piece = piece;
            this.length = (before == null ? 0 : before.length) + piece.length();
            int h = before == null ? 0 : before.hash;
            for (int i = 0; i < piece.length(); i++) {
                h = 31 * h + piece.charAt(i);
            }
            this.hash = h;
        }

        /** Whether this value's string is {@code s}. */
        boolean matches(String s) {
            if (s.length() != length || s.hashCode() != hash) {
                return false;
            }
            int end = length;
            for (Value v = this; v != null; v = v.before) {
                end -= v.piece.length();
                if (!s.regionMatches(end, v.piece, 0, v.piece.length())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) {
                return true;
            }
            if (!(other instanceof Value o) || o.length != length || o.hash != hash) {
                return false;
            }
            // compare from the end, piece by piece; the rest still to compare is as long on both
            // sides, so both run out together, and a node both share holds the same rest
            Value a = this;
            Value b = o;
            int ia = a.piece.length();
            int ib = b.piece.length();
            while (a != b) {
                int n = Math.min(ia, ib);
                if (!a.piece.regionMatches(ia - n, b.piece, ib - n, n)) {
                    return false;
                }
                ia -= n;
                ib -= n;
                if (ia == 0) {
                    a = a.before;
                    ia = a == null ? 0 : a.piece.length();
                }
                if (ib == 0) {
                    b = b.before;
                    ib = b == null ? 0 : b.piece.length();
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            char[] out = new char[length];
            int end = length;
            for (Value v = this; v != null; v = v.before) {
                end -= v.piece.length();
                v.piece.getChars(0, v.piece.length(), out, end);
            }
            return new String(out);
        }
    }
}
