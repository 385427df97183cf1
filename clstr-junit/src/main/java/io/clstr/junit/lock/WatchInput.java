package io.clstr.junit.lock;

import java.util.Objects;

/**
 * A write or a watch poll as the watch checker sees it (spec/lock.md, stage 6). Put values are told
 * apart by their text: a workload writes each value once, so a value names one write.
 */
public sealed interface WatchInput {

    /** The key written, or the key (or prefix) watched. */
    String key();

    /**
     * {@code PUT /kv/{key}} with body {@code value}.
     *
     * @param key   the key
     * @param value the value, unique in the workload
     */
    record Put(String key, String value) implements WatchInput {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "put " + key + " \"" + value + "\"";
        }
    }

    /**
     * {@code DELETE /kv/{key}}.
     *
     * @param key the key
     */
    record Delete(String key) implements WatchInput {
        public Delete {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "delete " + key;
        }
    }

    /**
     * {@code GET /watch/{key}?rev=N&wait=S}, with {@code &prefix=true} for a prefix watch.
     *
     * @param key      the key watched, or the prefix
     * @param revision the first revision asked for ({@code rev})
     * @param prefix   whether it watches every key that starts with {@code key}
     */
    record Watch(String key, long revision, boolean prefix) implements WatchInput {
        public Watch {
            Objects.requireNonNull(key, "key");
        }

        /** Whether this watch reports writes of {@code written}. */
        public boolean covers(String written) {
            return prefix ? written.startsWith(key) : written.equals(key);
        }

        @Override
        public String toString() {
            return "watch " + key + (prefix ? "*" : "") + " from " + revision;
        }
    }
}
