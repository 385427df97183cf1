package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.Classifier;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.RecordingClient;
import io.clstr.junit.linearizability.KvInput;

/**
 * A client of the kv-store HTTP API ({@code GET/PUT/DELETE /kv/{key}}) that records every call in
 * a {@link History} for {@code Models.kv()}, on the framework's {@link RecordingClient}. Answers
 * map to completions by this rule ({@link #RULES}):
 * <ul>
 *   <li>200 is {@code ok} (a GET's output is the body); 404 on a GET is {@code ok} with "" (absent);
 *   <li>a read that gets anything else (timeout, connection error, 5xx, other statuses) is
 *       {@code fail}: a read changes nothing, so dropping it loses no information;
 *   <li>a write (PUT, DELETE) with no answer (timeout, reset) or any 5xx, 503 included, is
 *       {@code info}: it may have taken effect, so it stays open to the end (DESIGN.md §6: a node
 *       that lost leadership after appending the entry may well answer 503);
 *   <li>a write that reached no server (connection refused, also when following a 307 to a node
 *       that is down) or got any other status (4xx) is {@code fail}.
 * </ul>
 * Open writes cost the checker little when they are never observed: {@code Models.kv()} drops an
 * open PUT whose value no read returned. Keys are sent exactly as given and must be URL-safe.
 */
final class KvClient {

    /** The kv-store's rule from answers to completions. */
    static final Classifier<KvInput, Object> RULES = KvClient::classify;

    private final RecordingClient<KvInput, Object> client;

    /** A client of {@code cluster} recording into {@code history}. */
    KvClient(Cluster cluster, History<KvInput, Object> history) {
        this.client = new RecordingClient<>(cluster, history, RULES);
    }

    /** The history this client records into. */
    History<KvInput, Object> history() {
        return client.history();
    }

    /** {@code GET /kv/{key}} on {@code node} as {@code clientId}; returns the recorded entry. */
    Entry<KvInput, Object> get(int clientId, Node node, String key) {
        return client.call(clientId, node, KvInput.get(key), Request.get("/kv/" + key));
    }

    /** {@code PUT /kv/{key}} with {@code value} on {@code node} as {@code clientId}; returns the recorded entry. */
    Entry<KvInput, Object> put(int clientId, Node node, String key, String value) {
        return client.call(clientId, node, KvInput.put(key, value), Request.put("/kv/" + key, value));
    }

    /** {@code DELETE /kv/{key}} on {@code node} as {@code clientId}; returns the recorded entry. */
    Entry<KvInput, Object> delete(int clientId, Node node, String key) {
        return client.call(clientId, node, KvInput.delete(key), Request.delete("/kv/" + key));
    }

    static Classifier.Outcome<Object> classify(KvInput input, Response response) {
        int status = response.status();
        boolean read = input.kind() == KvInput.Kind.GET;
        if (status == 200) {
            return Classifier.Outcome.ok(read ? response.body() : null);
        }
        if (read && status == 404) {
            return Classifier.Outcome.ok("");
        }
        if (read || response.unsent()) {
            return Classifier.Outcome.fail();
        }
        return status == -1 || status >= 500 ? Classifier.Outcome.info() : Classifier.Outcome.fail();
    }
}
