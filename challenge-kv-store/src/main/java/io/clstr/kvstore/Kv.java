package io.clstr.kvstore;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import java.util.Arrays;

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
