package io.clstr.kvstore;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 1: a single node stores, returns and deletes string values over HTTP.
 * Requests time out after 0.5 s, as on clstr.io.
 */
@ClstrCluster(nodes = 1, requestTimeoutMillis = 500)
@Stage(key = "http-api", title = "Store and Retrieve Data")
public class HttpApi {

    private static final int WRITES = 100;

    @Test
    @DisplayName("PUT Stores Values")
    void putStoresValues(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        Values values = new Values(cluster.random());

        String first = values.tagged("hello");
        kv.put("greeting", first, "PUT /kv/{key} must store the request body and answer 200.");
        kv.expect(
                "greeting", first, "GET /kv/{key} must answer 200 with exactly the body of the last PUT to that key.");

        String second = values.tagged("goodbye");
        kv.put("greeting", second, "A PUT to a key that exists must replace its value and answer 200.");
        kv.expect(
                "greeting",
                second,
                "After a second PUT to the same key, GET must return the new value, "
                        + "not the first one: overwrite the entry instead of keeping the old value.");

        String unicode = "héllo wörld, ça va? こんにちは 🌍 " + values.token(6);
        kv.put("unicode", unicode, "PUT must accept any UTF-8 body.");
        kv.expect(
                "unicode",
                unicode,
                "Values are UTF-8 and must come back byte for byte.",
                "Read the request body as raw bytes and decode it as UTF-8 (many HTTP libraries assume ISO-8859-1).",
                "Write the answer as UTF-8.");

        String longKey = values.token(100);
        String longValue = values.text(10_000);
        kv.put(
                longKey,
                longValue,
                "A 100-character key with a 10,000-character value must be accepted: "
                        + "do not limit key or value length, and read the whole body (it may arrive in several chunks).");
        kv.expect(
                longKey,
                longValue,
                "A 10,000-character value must come back whole under its 100-character key: "
                        + "read the body until its end, not into a fixed-size buffer.");

        String symbolKey = "user:42_profile.v1-" + values.token(4);
        String symbolValue =
                "spaces  and\ttabs\nand newlines, quotes \"'`, symbols !@#$%^&*()[]{}<>?/\\|~+=;, " + values.token(6);
        kv.put(symbolKey, symbolValue, "Keys may contain ':', '_', '.' and '-'; use everything after /kv/ as the key.");
        kv.expect(
                symbolKey,
                symbolValue,
                "Whitespace and symbols are part of the value: store the body exactly as received.",
                "Do not trim, split lines or decode '%' or '+'.",
                "Keep ':', '_', '.' and '-' in the key.");
    }

    @Test
    @DisplayName("PUT Rejects Empty Keys and Values")
    void putRejectsEmptyKeysAndValues(Cluster cluster, Node n1) {
        cluster.put(node(n1), "/kv/", "a value without a key")
                .status(400)
                .body("key cannot be empty")
                .hint(
                        "PUT /kv/ (nothing after the slash) has an empty key: answer 400 with the body \"key cannot be "
                                + "empty\".",
                        "Check that your router sends /kv/ to the same handler as /kv/{key} instead of answering 404 "
                                + "or 405.")
                .check();
        cluster.put(node(n1), "/kv/empty-value", "")
                .status(400)
                .body("value cannot be empty")
                .hint("A PUT whose body is empty must be refused with 400 and the body \"value cannot be empty\", "
                        + "not stored as an empty string.")
                .check();
    }

    @Test
    @DisplayName("GET Returns Stored Values")
    void getReturnsStoredValues(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        Values values = new Values(cluster.random());
        Map<String, String> stored = new LinkedHashMap<>();
        for (String fruit : List.of("apple", "banana", "cherry", "damson", "elderberry")) {
            stored.put("fruit:" + fruit, values.tagged(fruit));
        }
        stored.forEach((key, value) -> kv.put(key, value, "PUT /kv/{key} must store the body and answer 200."));
        stored.forEach((key, value) -> kv.expect(
                key,
                value,
                "Each key must keep its own value: GET /kv/" + key
                        + " must return the value last PUT to exactly that key."));
        stored.forEach((key, value) -> kv.expect(
                key, value, "Reading a key must not change it: a second GET must " + "return the same value."));
    }

    @Test
    @DisplayName("GET Rejects Missing and Invalid Keys")
    void getRejectsMissingAndInvalidKeys(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        Values values = new Values(cluster.random());

        kv.expectMissing(
                "never-written-" + values.token(8),
                "GET of a key that was never written must answer 404 " + "with the body \"key not found\".");
        cluster.get(node(n1), "/kv/")
                .status(400)
                .hint("GET /kv/ has an empty key: answer 400 (with the body \"key cannot be empty\", as for PUT), "
                        + "not 404 and not a listing of the store.")
                .check();

        String upper = values.tagged("upper");
        String lower = values.tagged("lower");
        kv.put("CaseKey", upper, "PUT /kv/{key} must store the body and answer 200.");
        kv.expectMissing(
                "casekey",
                "Keys are case-sensitive: after PUT /kv/CaseKey, GET /kv/casekey must answer 404 "
                        + "\"key not found\". Do not lower- or upper-case keys.");
        kv.expectMissing(
                "CASEKEY",
                "Keys are case-sensitive: after PUT /kv/CaseKey, GET /kv/CASEKEY must answer 404 "
                        + "\"key not found\". Do not lower- or upper-case keys.");
        kv.put("casekey", lower, "PUT /kv/{key} must store the body and answer 200.");
        kv.expect(
                "CaseKey",
                upper,
                "Keys are case-sensitive: PUT /kv/casekey must not overwrite /kv/CaseKey. "
                        + "Use the key exactly as it appears in the path.");
        kv.expect("casekey", lower, "Keys are case-sensitive: /kv/casekey holds its own value.");
    }

    @Test
    @DisplayName("DELETE Idempotently Removes Keys")
    void deleteIdempotentlyRemovesKeys(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        Values values = new Values(cluster.random());

        String first = values.tagged("first");
        kv.put("to-delete", first, "PUT /kv/{key} must store the body and answer 200.");
        kv.delete("to-delete", "DELETE /kv/{key} must remove the key and answer 200.");
        kv.expectMissing(
                "to-delete",
                "After DELETE /kv/{key}, GET must answer 404 \"key not found\": remove the "
                        + "entry from the store rather than storing an empty value.");

        String second = values.tagged("second");
        kv.put("to-delete", second, "A deleted key can be written again: PUT must answer 200.");
        kv.expect("to-delete", second, "A key re-inserted after a DELETE must hold the new value.");
        kv.delete("to-delete", "DELETE /kv/{key} must remove the key and answer 200.");
        kv.delete(
                "to-delete",
                "DELETE is idempotent: deleting a key that is already gone must still answer 200, "
                        + "not 404, so a client can safely retry it.");
        kv.expectMissing("to-delete", "After DELETE /kv/{key}, GET must answer 404 \"key not found\".");
        kv.delete("never-existed-" + values.token(8), "DELETE of a key that never existed must answer 200, not 404.");
    }

    @Test
    @DisplayName("DELETE Rejects Empty Keys")
    void deleteRejectsEmptyKeys(Cluster cluster, Node n1) {
        cluster.delete(node(n1), "/kv/")
                .status(400)
                .hint(
                        "DELETE /kv/ has an empty key: answer 400 (with the body \"key cannot be empty\", as for PUT).",
                        "Check that your router sends /kv/ to the key handler instead of answering 404 or 405.")
                .check();
    }

    @Test
    @DisplayName("CLEAR Removes All Keys from the Store")
    void clearRemovesAllKeys(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        Values values = new Values(cluster.random());
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String key = "before-clear-" + i;
            kv.put(key, values.tagged("v" + i), "PUT /kv/{key} must store the body and answer 200.");
            keys.add(key);
        }
        cluster.delete(node(n1), "/clear")
                .status(200)
                .hint("DELETE /clear must remove every key and answer 200.")
                .check();
        for (String key : keys) {
            kv.expectMissing(
                    key,
                    "After DELETE /clear every key must be gone: GET must answer 404 \"key not found\" "
                            + "for keys written before the clear (and for keys of earlier tests).");
        }
        kv.expectMissing(
                "greeting",
                "After DELETE /clear every key must be gone, including those of earlier tests: "
                        + "GET /kv/greeting must answer 404 \"key not found\".");
        String after = values.tagged("after");
        kv.put("after-clear", after, "The store must keep working after DELETE /clear: PUT must answer 200.");
        kv.expect(
                "after-clear",
                after,
                "The store must keep working after DELETE /clear: a key written after the "
                        + "clear must be readable. Empty the store instead of replacing it with something read-only.");
    }

    @Test
    @DisplayName("Concurrent Writes to Different Keys All Succeed")
    void concurrentWritesToDifferentKeys(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        Values values = new Values(cluster.random());
        List<String> written = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            written.add(values.tagged("writer-" + i));
        }
        cluster.concurrently(
                written.size(),
                i -> kv.put(
                        "concurrent:" + i,
                        written.get(i),
                        "Every one of " + WRITES + " concurrent PUTs (50 in flight) must answer 200 within 0.5 s.",
                        "Handle requests in parallel (or queue them quickly).",
                        "Never fail one request because another is running."));
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < written.size(); i++) {
            expected.put("concurrent:" + i, written.get(i));
        }
        kv.expectAll(
                expected,
                "After " + WRITES + " concurrent PUTs to different keys, "
                        + "every key must hold its value. Lost keys mean writes overwrote each other: guard the map with "
                        + "a lock or use a concurrent map.");
    }

    @Test
    @DisplayName("Concurrent Writes to the Same Key Do Not Corrupt Data")
    void concurrentWritesToSameKey(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        Values values = new Values(cluster.random());
        List<String> written = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            written.add("writer " + i + ": " + values.text(200));
        }
        cluster.concurrently(
                written.size(),
                i -> kv.put(
                        "contended",
                        written.get(i),
                        "Every one of " + WRITES + " concurrent PUTs to one key must answer 200 within 0.5 s."));
        cluster.get(node(n1), "/kv/contended")
                .status(200)
                .bodyOneOf(written)
                .hint(
                        "After " + WRITES + " concurrent PUTs to one key, its value must be exactly one of the values "
                                + "written (the last applied wins), never a mix of two or a truncated value.",
                        "Read each request's whole body before storing it.",
                        "Store it in one step, under a lock or in a concurrent map.")
                .check();
    }

    @Test
    @DisplayName("Unsupported HTTP Methods Return 405")
    void unsupportedMethodsReturn405(Cluster cluster, Node n1) {
        Kv kv = new Kv(cluster, n1);
        kv.put("method-test", "stays", "PUT /kv/{key} must store the body and answer 200.");
        for (String method : List.of("POST", "PATCH")) {
            cluster.request(method, node(n1), "/kv/method-test")
                    .status(405)
                    .body("method not allowed")
                    .hint(
                            method + " is not part of the /kv/{key} API: answer 405 with the body \"method not "
                                    + "allowed\".",
                            "Only GET, PUT and DELETE are allowed there.",
                            "Many routers answer 404 for an unregistered method: handle the method yourself.")
                    .check();
        }
        for (String method : List.of("GET", "POST", "PUT", "PATCH")) {
            cluster.request(method, node(n1), "/clear")
                    .status(405)
                    .body("method not allowed")
                    .hint(method + " /clear must answer 405 with the body \"method not allowed\": /clear accepts only "
                            + "DELETE. Check the method before clearing anything.")
                    .check();
        }
    }
}
