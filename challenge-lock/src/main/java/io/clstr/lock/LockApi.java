package io.clstr.lock;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.HttpCheck;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.check.Response;
import io.clstr.junit.raft.RaftView;
import java.time.Duration;

/**
 * The lock service's API sent to one node, following its redirects to the leader; each call is one
 * check with the hint the caller gives (a diagnosis line, then one line per likely cause).
 */
final class LockApi {

    /** A lease as its grant answered it. */
    record Lease(String id, long ttl) {}

    private final Cluster cluster;
    private final Node node;

    LockApi(Cluster cluster, Node node) {
        this.cluster = cluster;
        this.node = node;
    }

    /** The API on the leader every live node names (awaited for 3 s). */
    static LockApi onLeader(Cluster cluster) {
        return new LockApi(cluster, RaftView.awaitLeader(cluster).node());
    }

    /** The node the requests go to. */
    Node target() {
        return node;
    }

    // ---------------------------------------------------------------- raw requests

    HttpCheck httpGet(String path) {
        return cluster.get(node(node), path).followRedirects();
    }

    HttpCheck httpPut(String path, String body) {
        return cluster.put(node(node), path, body).followRedirects();
    }

    HttpCheck httpPost(String path, String body) {
        return cluster.post(node(node), path, body).followRedirects();
    }

    HttpCheck httpDelete(String path) {
        return cluster.delete(node(node), path).followRedirects();
    }

    // ---------------------------------------------------------------- keys

    /** {@code PUT /kv/{key}} (plus {@code query}, "" or "?ttl=2") answers 200; returns its Revision header, -1 if none. */
    long put(String key, String query, String value, String diagnosis, String... causes) {
        return revision(httpPut("/kv/" + key + query, value)
                .status(200)
                .hint(diagnosis, causes)
                .check()
                .response());
    }

    /** {@code GET /kv/{key}} answers 200 with {@code value}; returns its Revision header, -1 if none. */
    long expectValue(String key, String value, String diagnosis, String... causes) {
        return revision(value(key, value).hint(diagnosis, causes).check().response());
    }

    /** {@code GET /kv/{key}} answers 200 with {@code value} at every poll for {@code window}. */
    void expectValueThroughout(Duration window, String key, String value, String diagnosis, String... causes) {
        value(key, value).consistently(positive(window)).hint(diagnosis, causes).check();
    }

    /** {@code GET /kv/{key}} answers 404 {@code key not found}. */
    void expectGone(String key, String diagnosis, String... causes) {
        gone(key).hint(diagnosis, causes).check();
    }

    /** {@code GET /kv/{key}} answers 404 {@code key not found} within {@code within}. */
    void expectGoneWithin(Duration within, String key, String diagnosis, String... causes) {
        gone(key).eventually(positive(within)).hint(diagnosis, causes).check();
    }

    /** {@code GET /kv/{key}} answers 404 {@code key not found} at every poll for {@code window}. */
    void expectGoneThroughout(Duration window, String key, String diagnosis, String... causes) {
        gone(key).consistently(positive(window)).hint(diagnosis, causes).check();
    }

    private HttpCheck value(String key, String value) {
        return httpGet("/kv/" + key).status(200).body(value);
    }

    private HttpCheck gone(String key) {
        return httpGet("/kv/" + key).status(404).body("key not found");
    }

    // ---------------------------------------------------------------- leases

    /** {@code POST /leases} with {@code ttl} answers 200 {@code {"id", "ttl": expectedTtl}}; returns the lease. */
    Lease grant(long ttl, long expectedTtl, String diagnosis, String... causes) {
        Response answer = httpPost("/leases", Long.toString(ttl))
                .status(200)
                .json("id", JsonMatchers.nonEmptyText())
                .json("ttl", JsonMatchers.wholeNumber(expectedTtl))
                .hint(diagnosis, causes)
                .check()
                .response();
        return new Lease(answer.jsonText("id").orElseThrow(), expectedTtl);
    }

    /** A lease of {@code ttl} seconds (2 or more), granted on the first try. */
    Lease grant(long ttl) {
        return grant(
                ttl,
                ttl,
                "POST /leases with a TTL in seconds must answer 200 {\"id\": \"...\", \"ttl\": " + ttl + "}.",
                "Grant the lease through the log; give it an id unique in the cluster (the entry's index works).");
    }

    /** {@code POST /leases/{id}/keepalive} answers 200. */
    void keepalive(String lease, String diagnosis, String... causes) {
        httpPost("/leases/" + lease + "/keepalive", "")
                .status(200)
                .hint(diagnosis, causes)
                .check();
    }

    /** {@code DELETE /leases/{id}} answers 200. */
    void revoke(String lease, String diagnosis, String... causes) {
        httpDelete("/leases/" + lease).status(200).hint(diagnosis, causes).check();
    }

    /** {@code GET /leases/{id}} answers 404 {@code lease not found} within {@code within}. */
    void expectLeaseGoneWithin(Duration within, String lease, String diagnosis, String... causes) {
        httpGet("/leases/" + lease)
                .status(404)
                .body("lease not found")
                .eventually(positive(within))
                .hint(diagnosis, causes)
                .check();
    }

    // ---------------------------------------------------------------- locks

    /** {@code POST /locks/{name}?lease=ID} answers 200 {@code {"name", "lease"}}; returns its token, -1 if none. */
    long acquire(String lock, String lease, String diagnosis, String... causes) {
        Response answer = httpPost("/locks/" + lock + "?lease=" + lease, "")
                .status(200)
                .json("name", lock)
                .json("lease", lease)
                .hint(diagnosis, causes)
                .check()
                .response();
        return answer.jsonLong("token").orElse(-1L);
    }

    /** {@code POST /locks/{name}?lease=ID} answers {@code status} with {@code error}. */
    void acquireRefused(String lock, String lease, int status, String error, String diagnosis, String... causes) {
        httpPost("/locks/" + lock + "?lease=" + lease, "")
                .status(status)
                .body(error)
                .hint(diagnosis, causes)
                .check();
    }

    /** {@code DELETE /locks/{name}?lease=ID} answers 200. */
    void release(String lock, String lease, String diagnosis, String... causes) {
        httpDelete("/locks/" + lock + "?lease=" + lease)
                .status(200)
                .hint(diagnosis, causes)
                .check();
    }

    /** {@code GET /locks/{name}} answers 200 {@code {"name", "lease": lease}}. */
    void expectHolder(String lock, String lease, String diagnosis, String... causes) {
        holder(lock, lease).hint(diagnosis, causes).check();
    }

    /** {@code GET /locks/{name}} names {@code lease} as the holder within {@code within}. */
    void expectHolderWithin(Duration within, String lock, String lease, String diagnosis, String... causes) {
        holder(lock, lease).eventually(positive(within)).hint(diagnosis, causes).check();
    }

    /** {@code GET /locks/{name}} names {@code lease} as the holder at every poll for {@code window}. */
    void expectHolderThroughout(Duration window, String lock, String lease, String diagnosis, String... causes) {
        holder(lock, lease)
                .consistently(positive(window))
                .hint(diagnosis, causes)
                .check();
    }

    /** {@code GET /locks/{name}} answers 404 {@code lock not found}. */
    void expectFree(String lock, String diagnosis, String... causes) {
        free(lock).hint(diagnosis, causes).check();
    }

    /** {@code GET /locks/{name}} answers 404 {@code lock not found} within {@code within}. */
    void expectFreeWithin(Duration within, String lock, String diagnosis, String... causes) {
        free(lock).eventually(positive(within)).hint(diagnosis, causes).check();
    }

    private HttpCheck holder(String lock, String lease) {
        return httpGet("/locks/" + lock).status(200).json("name", lock).json("lease", lease);
    }

    private HttpCheck free(String lock) {
        return httpGet("/locks/" + lock).status(404).body("lock not found");
    }

    // ---------------------------------------------------------------- helpers

    /** The {@code commit-index} of {@code GET /log} on {@code node}, which must answer 200 with one. */
    static long commitIndex(Cluster cluster, Node node) {
        return cluster.get(node(node), "/log")
                .status(200)
                .json("commit-index", JsonMatchers.wholeNumber())
                .hint("GET /log must answer 200 {\"entries\", \"commit-index\", \"last-applied\"} as in the "
                        + "kv-store's log-replication stage.")
                .check()
                .response()
                .jsonLong("commit-index")
                .orElseThrow();
    }

    /** The Revision header of {@code answer} as a number; -1 when absent, a failure when not a number. */
    static long revision(Response answer) {
        long revision = revisionOrNone(answer);
        if (revision < 0 && answer.header("Revision") != null) {
            throw Failure.of(answer.request().method() + " " + answer.request().path())
                    .expected("a Revision header with a whole number")
                    .found("Revision: " + answer.header("Revision"))
                    .hint("The Revision header must be the key's revision, a whole number.")
                    .error();
        }
        return revision;
    }

    /** The Revision header of {@code answer} as a number; -1 when absent or not a number. */
    static long revisionOrNone(Response answer) {
        try {
            return Long.parseLong(String.valueOf(answer.header("Revision")).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The time left until {@code nanos} on {@link System#nanoTime()}'s clock, zero when past. */
    static Duration until(long nanos) {
        return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
    }

    private static Duration positive(Duration window) {
        return window.isNegative() ? Duration.ZERO : window;
    }
}
