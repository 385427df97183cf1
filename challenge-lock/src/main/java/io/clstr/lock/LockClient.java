package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.Classifier;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.RecordingClient;
import io.clstr.junit.lock.LockInput;
import io.clstr.junit.lock.LockOutput;
import java.time.Duration;

/**
 * A client of the lease and lock API that records every call for the lock checkers, on the
 * framework's {@link RecordingClient} (which follows 307s unless told not to). Answers map to
 * completions:
 * <ul>
 *   <li>200 is {@code ok}: a grant's output is the lease, an acquire's the token (0 when the answer
 *       has none), anything else {@link LockOutput.Done};
 *   <li>409 {@code lock is held} to an acquire is {@code ok} {@link LockOutput.Held}; any other 4xx
 *       is {@code ok} {@link LockOutput.Refused}: the server said no;
 *   <li>no answer or a 5xx is {@code info}: it may have taken effect;
 *   <li>a request that reached no server is {@code fail}.
 * </ul>
 */
final class LockClient {

    static final Classifier<LockInput, LockOutput> RULES = LockClient::classify;

    private final RecordingClient<LockInput, LockOutput> client;
    private final boolean follow;

    LockClient(Cluster cluster, History<LockInput, LockOutput> history) {
        this(cluster, history, true);
    }

    private LockClient(Cluster cluster, History<LockInput, LockOutput> history, boolean follow) {
        this.client = new RecordingClient<>(cluster, history, RULES);
        this.follow = follow;
    }

    /** A client that sends to the node it is given and never follows a redirect (a client cut off with it). */
    static LockClient pinned(Cluster cluster, History<LockInput, LockOutput> history) {
        return new LockClient(cluster, history, false);
    }

    /** {@code POST /leases} with {@code ttl} seconds. */
    Entry<LockInput, LockOutput> grant(int clientId, Node node, long ttl) {
        return call(
                clientId,
                node,
                new LockInput.GrantLease(null, ttlOf(ttl)),
                Request.post("/leases", Long.toString(ttl)));
    }

    /** {@code POST /leases/{id}/keepalive}. */
    Entry<LockInput, LockOutput> keepalive(int clientId, Node node, String lease, long ttl) {
        return call(
                clientId,
                node,
                new LockInput.Keepalive(lease, ttlOf(ttl)),
                Request.post("/leases/" + lease + "/keepalive", ""));
    }

    /** {@code DELETE /leases/{id}}. */
    Entry<LockInput, LockOutput> revoke(int clientId, Node node, String lease) {
        return call(clientId, node, new LockInput.Revoke(lease), Request.delete("/leases/" + lease));
    }

    /** {@code POST /locks/{name}?lease=ID}, with {@code &wait=S} when {@code waitSeconds} is above 0. */
    Entry<LockInput, LockOutput> acquire(
            int clientId, Node node, String lock, String lease, long ttl, long waitSeconds) {
        String path = "/locks/" + lock + "?lease=" + lease + (waitSeconds > 0 ? "&wait=" + waitSeconds : "");
        Request request = Request.post(path, "");
        if (waitSeconds > 0) {
            request = request.withTimeout(Duration.ofSeconds(waitSeconds + 1));
        }
        return call(
                clientId,
                node,
                new LockInput.Acquire(lock, lease, ttlOf(ttl), Duration.ofSeconds(waitSeconds)),
                request);
    }

    /** {@code DELETE /locks/{name}?lease=ID}. */
    Entry<LockInput, LockOutput> release(int clientId, Node node, String lock, String lease) {
        return call(
                clientId,
                node,
                new LockInput.Release(lock, lease),
                Request.delete("/locks/" + lock + "?lease=" + lease));
    }

    /** {@code PUT /kv/{key}} with {@code Lock-Name} and {@code Fencing-Token}. */
    Entry<LockInput, LockOutput> fencedWrite(
            int clientId, Node node, String lock, String lease, long token, String key, String value) {
        return call(
                clientId,
                node,
                new LockInput.FencedWrite(lock, lease, token, key, value),
                Request.put("/kv/" + key, value)
                        .withHeader("Lock-Name", lock)
                        .withHeader("Fencing-Token", Long.toString(token)));
    }

    private Entry<LockInput, LockOutput> call(int clientId, Node node, LockInput input, Request request) {
        return client.call(clientId, node, input, request.withFollowRedirects(follow));
    }

    /** A lease's TTL as the server keeps it: at least 2 s. */
    static Duration ttlOf(long seconds) {
        return Duration.ofSeconds(Math.max(2, seconds));
    }

    static Classifier.Outcome<LockOutput> classify(LockInput input, Response response) {
        int status = response.status();
        if (status == 200) {
            if (input instanceof LockInput.GrantLease grant) {
                return response.jsonText("id")
                        .<Classifier.Outcome<LockOutput>>map(
                                id -> Classifier.Outcome.ok(new LockOutput.LeaseGranted(id, grant.ttl())))
                        .orElseGet(Classifier.Outcome::info);
            }
            if (input instanceof LockInput.Acquire) {
                return Classifier.Outcome.ok(
                        new LockOutput.Granted(response.jsonLong("token").orElse(0L)));
            }
            return Classifier.Outcome.ok(new LockOutput.Done());
        }
        if (response.unsent()) {
            return Classifier.Outcome.fail();
        }
        if (status == 409
                && input instanceof LockInput.Acquire
                && response.body().strip().equals("lock is held")) {
            return Classifier.Outcome.ok(new LockOutput.Held());
        }
        if (status >= 400 && status < 500) {
            return Classifier.Outcome.ok(
                    new LockOutput.Refused(status, response.body().strip()));
        }
        return Classifier.Outcome.info();
    }
}
