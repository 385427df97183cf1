package io.clstr.queue;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.HttpCheck;
import io.clstr.junit.check.JsonMatchers;
import io.clstr.junit.check.Response;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The queue API on one node, each call one check with the hint the caller gives (a diagnosis line,
 * then one line per likely cause): send, receive, delete, change visibility, counts.
 */
final class QueueApi {

    private final Cluster cluster;
    private final Node node;

    QueueApi(Cluster cluster, Node node) {
        this.cluster = cluster;
        this.node = node;
    }

    /** {@code POST /queues/{q}/messages} answers 200 {@code {"id": n}}; returns n. */
    long send(String queue, String body, String... hint) {
        return sent(cluster.post(node(node), "/queues/" + queue + "/messages", body), hint);
    }

    /** {@code POST /queues/{q}/messages} with {@code Group-Id: group} answers 200 {@code {"id": n}}; returns n. */
    long sendInGroup(String queue, String body, String group, String... hint) {
        return sent(
                cluster.post(node(node), "/queues/" + queue + "/messages", body).withHeader("Group-Id", group), hint);
    }

    /** {@code POST /queues/{q}/messages} with {@code Dedup-Id: dedupId} answers 200 {@code {"id": n}}; returns n. */
    long sendWithDedupId(String queue, String body, String dedupId, String... hint) {
        return sent(
                cluster.post(node(node), "/queues/" + queue + "/messages", body).withHeader("Dedup-Id", dedupId), hint);
    }

    /** The id of a send that must answer 200 {@code {"id": n}}. */
    private static long sent(HttpCheck send, String... hint) {
        return send.status(200)
                .json("id", JsonMatchers.wholeNumber())
                .hint(hint[0], rest(hint))
                .check()
                .response()
                .jsonLong("id")
                .orElseThrow();
    }

    /** {@code POST /queues/{q}/messages} with the header {@code name: value} answers 400 {@code error}. */
    void sendRefused(String queue, String name, String value, String error, String... hint) {
        cluster.post(node(node), "/queues/" + queue + "/messages", "refused")
                .withHeader(name, value)
                .status(400)
                .body(error)
                .hint(hint[0], rest(hint))
                .check();
    }

    /** {@code POST /queues/{q}/receive?max=N} (default visibility) answers 200 with a JSON array; returns it. */
    List<Delivery> receive(String queue, int max, String... hint) {
        return receive("/queues/" + queue + "/receive?max=" + max, hint);
    }

    /** {@code POST /queues/{q}/receive?max=N&visibility=S}. */
    List<Delivery> receive(String queue, int max, Duration visibility, String... hint) {
        return receive("/queues/" + queue + "/receive?max=" + max + "&visibility=" + visibility.toSeconds(), hint);
    }

    private List<Delivery> receive(String path, String... hint) {
        Response response = cluster.post(node(node), path, "")
                .status(200)
                .hint(hint[0], rest(hint))
                .check()
                .response();
        return QueueClient.deliveries(response).orElseThrow(() -> Failure.of("POST " + path + " on " + node.name())
                .expected("200 with a JSON array of {\"id\", \"body\", \"receipt\", \"receive-count\"}, "
                        + "oldest first ([] when nothing is visible)")
                .found("200 " + response.body())
                .hint(
                        "The receive answer is not the JSON the API promises.",
                        "Answer a JSON array, [] when nothing is visible.",
                        "Give each message id (a number), body (a string), receipt and receive-count (a "
                                + "number), with kebab-case keys.")
                .error());
    }

    /** {@code DELETE /queues/{q}/messages/{receipt}} answers 200. */
    void delete(String queue, String receipt, String... hint) {
        cluster.delete(node(node), "/queues/" + queue + "/messages/" + receipt)
                .status(200)
                .hint(hint[0], rest(hint))
                .check();
    }

    /** Deletes every one of {@code deliveries} at once (up to 50 in flight); each delete answers 200. */
    void deleteAll(String queue, List<Delivery> deliveries) {
        cluster.concurrently(
                deliveries.size(),
                i -> delete(
                        queue, deliveries.get(i).receipt(), "DELETE /queues/{q}/messages/{receipt} must answer 200."));
    }

    /** {@code DELETE /queues/{q}/messages/{receipt}} answers {@code status} with {@code error}. */
    void deleteRefused(String queue, String receipt, int status, String error, String... hint) {
        cluster.delete(node(node), "/queues/" + queue + "/messages/" + receipt)
                .status(status)
                .body(error)
                .hint(hint[0], rest(hint))
                .check();
    }

    /** {@code PUT /queues/{q}/messages/{receipt}/visibility} with {@code seconds} answers 200. */
    void changeVisibility(String queue, String receipt, long seconds, String... hint) {
        cluster.put(node(node), "/queues/" + queue + "/messages/" + receipt + "/visibility", Long.toString(seconds))
                .status(200)
                .hint(hint[0], rest(hint))
                .check();
    }

    /** {@code PUT /queues/{q}/config} with {@code config} (JSON) answers 200. */
    void configure(String queue, String config, String... hint) {
        cluster.put(node(node), "/queues/" + queue + "/config", config)
                .status(200)
                .hint(hint[0], rest(hint))
                .check();
    }

    /** {@code PUT /queues/{q}/config} with {@code config} answers 400 {@code invalid config}. */
    void configRefused(String queue, String config, String... hint) {
        cluster.put(node(node), "/queues/" + queue + "/config", config)
                .status(400)
                .body("invalid config")
                .hint(hint[0], rest(hint))
                .check();
    }

    /** {@code GET /queues/{q}/config} answers 200 with these three settings. */
    void expectConfig(String queue, long maxReceives, String deadLetterQueue, long visibility, String... hint) {
        cluster.get(node(node), "/queues/" + queue + "/config")
                .status(200)
                .json("max-receives", JsonMatchers.wholeNumber(maxReceives))
                .json("dead-letter-queue", deadLetterQueue)
                .json("visibility-timeout", JsonMatchers.wholeNumber(visibility))
                .hint(hint[0], rest(hint))
                .check();
    }

    /** A config body: {@code {"max-receives": m, "dead-letter-queue": "q", "visibility-timeout": s}}. */
    static String config(long maxReceives, String deadLetterQueue, long visibility) {
        return "{\"max-receives\": " + maxReceives + ", \"dead-letter-queue\": \"" + deadLetterQueue
                + "\", \"visibility-timeout\": " + visibility + "}";
    }

    /** {@code GET /queues/{q}} answers 200 {@code {"visible": v, "in-flight": f}}. */
    void expectCounts(String queue, long visible, long inFlight, String... hint) {
        counts(queue, visible, inFlight).hint(hint[0], rest(hint)).check();
    }

    /** As {@link #expectCounts}, polling until it holds within {@code within}. */
    void expectCountsWithin(Duration within, String queue, long visible, long inFlight, String... hint) {
        counts(queue, visible, inFlight)
                .eventually(within)
                .hint(hint[0], rest(hint))
                .check();
    }

    /** As {@link #expectCounts}, holding at every poll for {@code window}. */
    void expectCountsThroughout(Duration window, String queue, long visible, long inFlight, String... hint) {
        counts(queue, visible, inFlight)
                .consistently(window.isNegative() ? Duration.ZERO : window)
                .hint(hint[0], rest(hint))
                .check();
    }

    private HttpCheck counts(String queue, long visible, long inFlight) {
        return cluster.get(node(node), "/queues/" + queue)
                .status(200)
                .json("visible", JsonMatchers.wholeNumber(visible))
                .json("in-flight", JsonMatchers.wholeNumber(inFlight));
    }

    /** The one delivery of {@code body} in {@code got}, or a failure naming what came instead. */
    static Delivery only(List<Delivery> got, String body, String queue) {
        if (got.size() != 1 || !got.get(0).body().equals(body)) {
            throw Failure.of("POST /queues/" + queue + "/receive?max=1")
                    .expected("[\"" + body + "\"]: the oldest visible message")
                    .found(got.toString())
                    .hint("A receive must deliver the oldest visible message.")
                    .error();
        }
        return got.get(0);
    }

    private static String[] rest(String[] hint) {
        return Arrays.copyOfRange(hint, 1, hint.length);
    }
}
