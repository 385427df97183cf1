package io.clstr.junit.history;

import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.linearizability.KvInput;
import java.util.Objects;

/**
 * A client of the kv-store HTTP API ({@code GET/PUT/DELETE /kv/{key}}) that records every call in
 * a {@link History} for {@code Models.kv()}. Requests follow a 307 to the leader's ADDR and use the
 * stage's request timeout. Answers map to completions by this rule:
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
 * open PUT whose value no read returned.
 * Keys are sent exactly as given and must be URL-safe.
 */
public final class KvClient {

    private final CheckContext context;
    private final History<KvInput, Object> history;

    /** A client sending through {@code context}'s HTTP client and recording into {@code history}. */
    public KvClient(CheckContext context, History<KvInput, Object> history) {
        this.context = Objects.requireNonNull(context, "context");
        this.history = Objects.requireNonNull(history, "history");
    }

    /** The history this client records into. */
    public History<KvInput, Object> history() {
        return history;
    }

    /** {@code GET /kv/{key}} on {@code node} as {@code clientId}; returns the recorded entry. */
    public Entry<KvInput, Object> get(int clientId, Node node, String key) {
        return call(clientId, node, KvInput.get(key), Request.get("/kv/" + key));
    }

    /** {@code PUT /kv/{key}} with {@code value} on {@code node} as {@code clientId}; returns the recorded entry. */
    public Entry<KvInput, Object> put(int clientId, Node node, String key, String value) {
        return call(clientId, node, KvInput.put(key, value), Request.put("/kv/" + key, value));
    }

    /** {@code DELETE /kv/{key}} on {@code node} as {@code clientId}; returns the recorded entry. */
    public Entry<KvInput, Object> delete(int clientId, Node node, String key) {
        return call(clientId, node, KvInput.delete(key), Request.delete("/kv/" + key));
    }

    /** The completion of an answer to {@code input} by the rule of this class. */
    static Completion completion(KvInput input, Response response) {
        int status = response.status();
        boolean read = input.kind() == KvInput.Kind.GET;
        if (status == 200 || (read && status == 404)) {
            return Completion.OK;
        }
        if (read || response.unsent()) {
            return Completion.FAIL;
        }
        return status == -1 || status >= 500 ? Completion.INFO : Completion.FAIL;
    }

    private Entry<KvInput, Object> call(int clientId, Node node, KvInput input, Request request) {
        History.Handle handle = history.invoke(clientId, input);
        Response response;
        try {
            response =
                    context.http().send(node, request.withFollowRedirects(true).withTimeout(context.requestTimeout()));
        } catch (RuntimeException e) {
            record(handle, input.kind() == KvInput.Kind.GET ? Completion.FAIL : Completion.INFO, null);
            throw e;
        }
        Completion completion = completion(input, response);
        Object output = input.kind() != KvInput.Kind.GET ? null : response.status() == 200 ? response.body() : "";
        return record(handle, completion, output);
    }

    private Entry<KvInput, Object> record(History.Handle handle, Completion completion, Object output) {
        switch (completion) {
            case OK -> history.ok(handle, output);
            case FAIL -> history.fail(handle);
            default -> history.info(handle);
        }
        return history.entries().get(handle.id());
    }
}
