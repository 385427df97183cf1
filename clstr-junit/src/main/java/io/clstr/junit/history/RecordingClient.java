package io.clstr.junit.history;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.internal.ClusterAccess;
import io.clstr.junit.internal.check.CheckContext;
import java.util.Objects;

/**
 * A client that records every call it makes in a {@link History}: the operation, the node it was
 * sent to, the node that finally served it after redirects, and how it ended as a
 * {@link Classifier} reads the answer. It knows no protocol: a challenge builds its own client on
 * it (kv-store's {@code KvClient}: {@code GET /kv/{key}} is a read whose output is the body).
 *
 * <pre>{@code
 * RecordingClient<KvInput, Object> client = new RecordingClient<>(cluster, history, KV_RULES);
 * client.call(clientId, node, KvInput.put("a", "1"), Request.put("/kv/a", "1"));
 * }</pre>
 *
 * Requests follow redirects to nodes' {@code ADDR}s (as the checks do when asked) and use the
 * stage's request timeout unless the request sets one. Safe for concurrent use.
 */
public final class RecordingClient<I, O> {
    private final CheckContext context;
    private final History<I, O> history;
    private final Classifier<I, O> classifier;

    /** A client of {@code cluster} recording into {@code history}, ending operations by {@code classifier}. */
    public RecordingClient(Cluster cluster, History<I, O> history, Classifier<I, O> classifier) {
        this(ClusterAccess.context(Objects.requireNonNull(cluster, "cluster")), history, classifier);
    }

    /** For clstr's own tests: a client of the nodes behind {@code context}. */
    RecordingClient(CheckContext context, History<I, O> history, Classifier<I, O> classifier) {
        this.context = Objects.requireNonNull(context, "context");
        this.history = Objects.requireNonNull(history, "history");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /** The history this client records into. */
    public History<I, O> history() {
        return history;
    }

    /**
     * Sends {@code request} to {@code node} as client {@code clientId}, recording the operation
     * {@code input}; returns the recorded entry. When sending throws (it does not for network
     * errors, which are answers with an error), the operation is recorded as {@code info} and the
     * exception rethrown.
     */
    public Entry<I, O> call(int clientId, Node node, I input, Request request) {
        History.Handle handle = history.invoke(clientId, input);
        Request sent = request.withFollowRedirects(true);
        if (sent.timeout() == null) {
            sent = sent.withTimeout(context.requestTimeout());
        }
        Response response;
        try {
            response = context.http().send(node, sent);
        } catch (RuntimeException | Error e) {
            history.route(handle, node.name(), null);
            history.info(handle);
            throw e;
        }
        Classifier.Outcome<O> outcome = classifier.classify(input, response);
        boolean answered = response.error() == null;
        history.route(handle, node.name(), answered ? response.answeredBy().name() : null);
        switch (outcome.completion()) {
            case OK -> history.ok(handle, outcome.output());
            case FAIL -> history.fail(handle);
            default -> history.info(handle);
        }
        return history.entry(handle);
    }
}
