package io.clstr.kvstore;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * PUT, GET and DELETE on one node, each one check with the hint the caller gives: a diagnosis line,
 * then one line per likely cause.
 */
final class Kv {

    private final Cluster cluster;
    private final Node node;

    Kv(Cluster cluster, Node node) {
        this.cluster = cluster;
        this.node = node;
    }

    /** PUT /kv/{key} answers 200. */
    void put(String key, String value, String... hint) {
        cluster.put(node(node), "/kv/" + key, value)
                .status(200)
                .hint(hint[0], Arrays.copyOfRange(hint, 1, hint.length))
                .check();
    }

    /**
     * {@code count} sequential PUTs of fresh values ({@link Values#fresh}) to the keys
     * {@code prefix:1}…, each answered 200; returns what was written, in order.
     */
    Map<String, String> putFresh(Values values, String prefix, int count, String... hint) {
        Map<String, String> written = values.fresh(prefix, count);
        written.forEach((key, value) -> put(key, value, hint));
        return written;
    }

    /** Requests in flight when writing or reading back thousands of keys. */
    static final int BULK_IN_FLIGHT = 10;

    /**
     * PUTs every key of {@code values} with its value, up to {@link #BULK_IN_FLIGHT} in flight;
     * each must answer 200. Loading thousands of keys is the stage's setting, not a load test.
     */
    void putAll(Map<String, String> values, String... hint) {
        List<Map.Entry<String, String>> entries = List.copyOf(values.entrySet());
        cluster.concurrently(
                entries.size(),
                BULK_IN_FLIGHT,
                i -> put(entries.get(i).getKey(), entries.get(i).getValue(), hint));
    }

    /**
     * Every key of {@code written} holds its value, read back with up to {@link #BULK_IN_FLIGHT}
     * GETs in flight: a verification, not a load test (thousands of linearizable reads at 50 in
     * flight on a freshly restarted cluster left some over the 1 s timeout on a loaded machine).
     */
    void expectAll(Map<String, String> written, String... hint) {
        List<Map.Entry<String, String>> entries = List.copyOf(written.entrySet());
        cluster.concurrently(
                entries.size(),
                BULK_IN_FLIGHT,
                i -> expect(entries.get(i).getKey(), entries.get(i).getValue(), hint));
    }

    /** GET /kv/{key} answers 200 with exactly {@code value}. */
    void expect(String key, String value, String... hint) {
        cluster.get(node(node), "/kv/" + key)
                .status(200)
                .body(value)
                .hint(hint[0], Arrays.copyOfRange(hint, 1, hint.length))
                .check();
    }

    /** GET /kv/{key} answers 404 {@code key not found}. */
    void expectMissing(String key, String... hint) {
        cluster.get(node(node), "/kv/" + key)
                .status(404)
                .body("key not found")
                .hint(hint[0], Arrays.copyOfRange(hint, 1, hint.length))
                .check();
    }

    /** DELETE /kv/{key} answers 200. */
    void delete(String key, String... hint) {
        cluster.delete(node(node), "/kv/" + key)
                .status(200)
                .hint(hint[0], Arrays.copyOfRange(hint, 1, hint.length))
                .check();
    }

    /** DELETE /clear answers 200. */
    void clear(String... hint) {
        cluster.delete(node(node), "/clear")
                .status(200)
                .hint(hint[0], Arrays.copyOfRange(hint, 1, hint.length))
                .check();
    }
}
