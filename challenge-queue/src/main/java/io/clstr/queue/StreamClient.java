package io.clstr.queue;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.Classifier;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.RecordingClient;
import io.clstr.junit.stream.StreamInput;
import io.clstr.junit.stream.StreamOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client of the stream API (stage 8) that records every call for the stream checkers, by the
 * same rule as {@link QueueClient}: 200 is {@code ok} (and a 404 {@code no committed offset} is an
 * ok answer of "none"), no answer or a 5xx is {@code info}, a request that reached no server or got
 * another 4xx is {@code fail}.
 */
final class StreamClient {

    /** The stream's rule from answers to completions. */
    static final Classifier<StreamInput, StreamOutput> RULES = StreamClient::classify;

    private final RecordingClient<StreamInput, StreamOutput> client;

    StreamClient(Cluster cluster, History<StreamInput, StreamOutput> history) {
        this.client = new RecordingClient<>(cluster, history, RULES);
    }

    /** {@code POST /streams/{key}} with {@code message}. */
    Entry<StreamInput, StreamOutput> send(int clientId, Node node, String key, String message) {
        return client.call(
                clientId, node, new StreamInput.Send(key, message), Request.post("/streams/" + key, message));
    }

    /** {@code GET /streams/{key}?offset=&max=}. */
    Entry<StreamInput, StreamOutput> poll(int clientId, Node node, String key, long offset, int max) {
        return client.call(
                clientId,
                node,
                new StreamInput.Poll(key, offset, max),
                Request.get("/streams/" + key + "?offset=" + offset + "&max=" + max));
    }

    /** {@code PUT /streams/{key}/groups/{group}} with the offset. */
    Entry<StreamInput, StreamOutput> commit(int clientId, Node node, String key, String group, long offset) {
        return client.call(
                clientId,
                node,
                new StreamInput.Commit(key, group, offset),
                Request.put("/streams/" + key + "/groups/" + group, Long.toString(offset)));
    }

    /** {@code GET /streams/{key}/groups/{group}}. */
    Entry<StreamInput, StreamOutput> readCommitted(int clientId, Node node, String key, String group) {
        return client.call(
                clientId,
                node,
                new StreamInput.ReadCommitted(key, group),
                Request.get("/streams/" + key + "/groups/" + group));
    }

    /** The messages a poll read, or none when it did not end {@code ok}. */
    static List<StreamOutput.Read> reads(Entry<StreamInput, StreamOutput> poll) {
        return poll.output() instanceof StreamOutput.Polled polled ? polled.reads() : List.of();
    }

    static Classifier.Outcome<StreamOutput> classify(StreamInput input, Response response) {
        int status = response.status();
        if (status == 404 && input instanceof StreamInput.ReadCommitted) {
            return Classifier.Outcome.ok(new StreamOutput.Committed(null));
        }
        if (status == 200) {
            Optional<StreamOutput> output = output(input, response);
            return output.isPresent() ? Classifier.Outcome.ok(output.get()) : Classifier.Outcome.info();
        }
        if (response.unsent() || (status >= 400 && status < 500)) {
            return Classifier.Outcome.fail();
        }
        return Classifier.Outcome.info();
    }

    /** What a 200 says, or empty when its body is not what the API promises. */
    private static Optional<StreamOutput> output(StreamInput input, Response response) {
        if (input instanceof StreamInput.Send) {
            return response.jsonLong("offset").map(StreamOutput.Sent::new);
        }
        if (input instanceof StreamInput.Poll) {
            return reads(response).map(StreamOutput.Polled::new);
        }
        if (input instanceof StreamInput.ReadCommitted) {
            return offset(response.body()).map(StreamOutput.Committed::new);
        }
        return Optional.of(new StreamOutput.Done());
    }

    /** A poll's 200 answer: a JSON array of {@code {"offset", "msg"}}, or empty when it is not one. */
    static Optional<List<StreamOutput.Read>> reads(Response response) {
        if (!response.isJson() || !response.body().strip().startsWith("[")) {
            return Optional.empty();
        }
        List<StreamOutput.Read> reads = new ArrayList<>();
        for (int i = 0; response.jsonValue("[" + i + "]").isPresent(); i++) {
            Optional<Long> offset = response.jsonLong("[" + i + "].offset");
            Optional<String> msg = response.jsonText("[" + i + "].msg");
            if (offset.isEmpty() || msg.isEmpty()) {
                return Optional.empty();
            }
            reads.add(new StreamOutput.Read(offset.get(), msg.get()));
        }
        return Optional.of(reads);
    }

    /** A committed offset's text, {@code 7} or {@code "7"}. */
    static Optional<Long> offset(String body) {
        String text = body.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
