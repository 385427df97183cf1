package io.clstr.queue;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.Classifier;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.RecordingClient;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client of the queue HTTP API that records every call for the queue checkers, on the
 * framework's {@link RecordingClient}. Answers map to completions by this rule ({@link #RULES}):
 * <ul>
 *   <li>200 is {@code ok}: a send's output is its id, a receive's the messages it delivered;
 *   <li>no answer (timeout, reset) or a 5xx is {@code info}: a send may have stored the message, a
 *       receive may have put messages in flight, a delete may have deleted;
 *   <li>a request that reached no server (connection refused) or got a 4xx is {@code fail}.
 * </ul>
 */
final class QueueClient {

    /** The queue's rule from answers to completions. */
    static final Classifier<QueueInput, QueueOutput> RULES = QueueClient::classify;

    private final RecordingClient<QueueInput, QueueOutput> client;

    QueueClient(Cluster cluster, History<QueueInput, QueueOutput> history) {
        this.client = new RecordingClient<>(cluster, history, RULES);
    }

    /** {@code POST /queues/{q}/messages} with {@code body}. */
    Entry<QueueInput, QueueOutput> send(int clientId, Node node, String queue, String body) {
        return send(clientId, node, new QueueInput.Send(queue, body, null, null));
    }

    /** {@code POST /queues/{q}/messages} with {@code body} and the header {@code Dedup-Id: dedupId}. */
    Entry<QueueInput, QueueOutput> send(int clientId, Node node, String queue, String body, String dedupId) {
        return send(clientId, node, new QueueInput.Send(queue, body, null, dedupId));
    }

    /** {@code POST /queues/{q}/messages} with {@code body} and the header {@code Group-Id: group}. */
    Entry<QueueInput, QueueOutput> sendInGroup(int clientId, Node node, String queue, String body, String group) {
        return send(clientId, node, new QueueInput.Send(queue, body, group, null));
    }

    /** The send {@code input} describes, with its Group-Id and Dedup-Id headers when it has them. */
    private Entry<QueueInput, QueueOutput> send(int clientId, Node node, QueueInput.Send input) {
        Request request = Request.post("/queues/" + input.queue() + "/messages", input.body());
        if (input.group() != null) {
            request = request.withHeader("Group-Id", input.group());
        }
        if (input.dedupId() != null) {
            request = request.withHeader("Dedup-Id", input.dedupId());
        }
        return client.call(clientId, node, input, request);
    }

    /** {@code POST /queues/{q}/receive?max=&visibility=}. */
    Entry<QueueInput, QueueOutput> receive(int clientId, Node node, String queue, int max, Duration visibility) {
        return client.call(
                clientId,
                node,
                new QueueInput.Receive(queue, max, visibility),
                Request.post("/queues/" + queue + "/receive?max=" + max + "&visibility=" + visibility.toSeconds(), ""));
    }

    /** {@code DELETE /queues/{q}/messages/{receipt}}. */
    Entry<QueueInput, QueueOutput> delete(int clientId, Node node, String queue, String receipt) {
        return client.call(
                clientId,
                node,
                new QueueInput.Delete(queue, receipt),
                Request.delete("/queues/" + queue + "/messages/" + receipt));
    }

    /**
     * Whether {@code queue} counts nothing visible and nothing in flight, asked of {@code node}
     * (following a redirect to the leader); not recorded.
     */
    static boolean empty(Cluster cluster, Node node, String queue) {
        Response counts = cluster.send(node, Request.get("/queues/" + queue).withFollowRedirects(true));
        return counts.jsonLong("visible").orElse(-1L) == 0
                && counts.jsonLong("in-flight").orElse(-1L) == 0;
    }

    /** The messages a receive delivered, or none when it did not end {@code ok}. */
    static List<QueueOutput.Delivery> delivered(Entry<QueueInput, QueueOutput> receive) {
        return receive.output() instanceof QueueOutput.Received received ? received.deliveries() : List.of();
    }

    static Classifier.Outcome<QueueOutput> classify(QueueInput input, Response response) {
        int status = response.status();
        if (status == 200) {
            Optional<QueueOutput> output = output(input, response);
            return output.isPresent() ? Classifier.Outcome.ok(output.get()) : Classifier.Outcome.info();
        }
        if (response.unsent() || (status >= 400 && status < 500)) {
            return Classifier.Outcome.fail();
        }
        return Classifier.Outcome.info();
    }

    /** What a 200 says, or empty when its body is not what the API promises. */
    private static Optional<QueueOutput> output(QueueInput input, Response response) {
        if (input instanceof QueueInput.Send) {
            return response.jsonLong("id").map(QueueOutput.Sent::new);
        }
        if (input instanceof QueueInput.Receive) {
            return deliveries(response).map(QueueOutput.Received::new);
        }
        return Optional.of(QueueOutput.done());
    }

    /**
     * The messages of a receive's 200 answer, oldest first, or empty when the body is not a JSON
     * array of {@code {"id", "body", "receipt", "receive-count"}} objects.
     */
    static Optional<List<QueueOutput.Delivery>> deliveries(Response response) {
        if (!response.isJson() || !response.body().strip().startsWith("[")) {
            return Optional.empty();
        }
        List<QueueOutput.Delivery> deliveries = new ArrayList<>();
        for (int i = 0; response.jsonValue("[" + i + "]").isPresent(); i++) {
            String at = "[" + i + "].";
            Optional<Long> id = response.jsonLong(at + "id");
            Optional<String> body = response.jsonText(at + "body");
            Optional<String> receipt = response.jsonValue(at + "receipt").map(String::valueOf);
            Optional<Long> count = response.jsonLong(at + "receive-count");
            if (id.isEmpty() || body.isEmpty() || receipt.isEmpty() || count.isEmpty()) {
                return Optional.empty();
            }
            deliveries.add(new QueueOutput.Delivery(
                    id.get(), body.get(), receipt.get(), count.get().intValue()));
        }
        return Optional.of(deliveries);
    }
}
