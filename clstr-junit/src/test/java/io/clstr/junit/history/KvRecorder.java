package io.clstr.junit.history;

import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.linearizability.KvInput;

/**
 * A kv-store client for these tests, on {@link RecordingClient}: reads of a missing key are ok and
 * absent, other failed reads fail, writes without an answer or with a 5xx stay open.
 */
final class KvRecorder {
    private static final Classifier<KvInput, Object> RULES = (input, response) -> {
        boolean read = input.kind() == KvInput.Kind.GET;
        if (response.status() == 200 || (read && response.status() == 404)) {
            return Classifier.Outcome.ok(read ? (response.status() == 200 ? response.body() : "") : null);
        }
        if (read || response.unsent() || (response.status() != -1 && response.status() < 500)) {
            return Classifier.Outcome.fail();
        }
        return Classifier.Outcome.info();
    };

    private final RecordingClient<KvInput, Object> client;

    KvRecorder(CheckContext context, History<KvInput, Object> history) {
        this.client = new RecordingClient<>(context, history, RULES);
    }

    Entry<KvInput, Object> get(int clientId, Node node, String key) {
        return client.call(clientId, node, KvInput.get(key), Request.get("/kv/" + key));
    }

    Entry<KvInput, Object> put(int clientId, Node node, String key, String value) {
        return client.call(clientId, node, KvInput.put(key, value), Request.put("/kv/" + key, value));
    }

    Entry<KvInput, Object> delete(int clientId, Node node, String key) {
        return client.call(clientId, node, KvInput.delete(key), Request.delete("/kv/" + key));
    }
}
