package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.Classifier;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.RecordingClient;
import io.clstr.junit.linearizability.CasInput;
import io.clstr.junit.linearizability.CasOutput;

/**
 * A client of the revisioned key API that records every call for {@code Models.casRegister()}, on
 * the framework's {@link RecordingClient} (which follows 307s). Answers map to completions:
 * <ul>
 *   <li>a read: 200 is {@code ok} with the value and its Revision header, 404 {@code ok} absent,
 *       anything else {@code fail} (a read changes nothing);
 *   <li>a write: 200 is {@code ok} with its Revision header, 412 {@code ok} rejected, no answer or
 *       a 5xx {@code info} (it may have been applied), anything else {@code fail}.
 * </ul>
 */
final class CasClient {

    static final Classifier<CasInput, CasOutput> RULES = CasClient::classify;

    private final RecordingClient<CasInput, CasOutput> client;

    CasClient(Cluster cluster, History<CasInput, CasOutput> history) {
        this.client = new RecordingClient<>(cluster, history, RULES);
    }

    /** {@code GET /kv/{key}}. */
    Entry<CasInput, CasOutput> read(int clientId, Node node, String key) {
        return client.call(clientId, node, CasInput.read(key), Request.get("/kv/" + key));
    }

    /** {@code PUT /kv/{key}} with {@code If-Match: expected}. */
    Entry<CasInput, CasOutput> swap(int clientId, Node node, String key, long expected, String value) {
        return client.call(
                clientId,
                node,
                CasInput.swap(key, expected, value),
                Request.put("/kv/" + key, value).withHeader("If-Match", Long.toString(expected)));
    }

    /** {@code PUT /kv/{key}} with {@code If-None-Match: *}. */
    Entry<CasInput, CasOutput> create(int clientId, Node node, String key, String value) {
        return client.call(
                clientId,
                node,
                CasInput.create(key, value),
                Request.put("/kv/" + key, value).withHeader("If-None-Match", "*"));
    }

    static Classifier.Outcome<CasOutput> classify(CasInput input, Response response) {
        int status = response.status();
        if (input.kind() == CasInput.Kind.READ) {
            if (status == 200) {
                return Classifier.Outcome.ok(CasOutput.found(response.body(), LockApi.revisionOrNone(response)));
            }
            return status == 404 ? Classifier.Outcome.ok(CasOutput.absent()) : Classifier.Outcome.fail();
        }
        if (status == 200) {
            return Classifier.Outcome.ok(CasOutput.applied(LockApi.revisionOrNone(response)));
        }
        if (status == 412) {
            return Classifier.Outcome.ok(CasOutput.rejected());
        }
        if (response.unsent()) {
            return Classifier.Outcome.fail();
        }
        return status == -1 || status >= 500 ? Classifier.Outcome.info() : Classifier.Outcome.fail();
    }
}
