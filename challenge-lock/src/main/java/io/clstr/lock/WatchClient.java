package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.Classifier;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.RecordingClient;
import io.clstr.junit.lock.WatchInput;
import io.clstr.junit.lock.WatchOutput;
import io.clstr.junit.lock.WatchOutput.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writers and watchers of the watch stage, recording into one history for the watch checker, on
 * the framework's {@link RecordingClient} (which follows 307s). A write's 200 is {@code ok} with its
 * Revision header, no answer or a 5xx {@code info}, anything else {@code fail}; a watch's 200 with
 * a JSON array of events is {@code ok}, anything else {@code fail} (a watch changes nothing).
 */
final class WatchClient {

    /** The longest wait a watch asks for. */
    static final long WAIT_SECONDS = 3;

    static final Classifier<WatchInput, WatchOutput> RULES = WatchClient::classify;

    private final RecordingClient<WatchInput, WatchOutput> client;

    WatchClient(Cluster cluster, History<WatchInput, WatchOutput> history) {
        this.client = new RecordingClient<>(cluster, history, RULES);
    }

    Entry<WatchInput, WatchOutput> put(int clientId, Node node, String key, String value) {
        return client.call(clientId, node, new WatchInput.Put(key, value), Request.put("/kv/" + key, value));
    }

    Entry<WatchInput, WatchOutput> delete(int clientId, Node node, String key) {
        return client.call(clientId, node, new WatchInput.Delete(key), Request.delete("/kv/" + key));
    }

    /** {@code GET /watch/{prefix}?rev=N&prefix=true&wait=3}. */
    Entry<WatchInput, WatchOutput> watchPrefix(int clientId, Node node, String prefix, long revision) {
        Request request = Request.get("/watch/" + prefix + "?rev=" + revision + "&prefix=true&wait=" + WAIT_SECONDS)
                .withTimeout(Duration.ofSeconds(WAIT_SECONDS + 1));
        return client.call(clientId, node, new WatchInput.Watch(prefix, revision, true), request);
    }

    static Classifier.Outcome<WatchOutput> classify(WatchInput input, Response response) {
        int status = response.status();
        if (input instanceof WatchInput.Watch watch) {
            Optional<List<Event>> events =
                    status == 200 ? events(response, watch.prefix() ? null : watch.key()) : Optional.empty();
            return events.<Classifier.Outcome<WatchOutput>>map(
                            list -> Classifier.Outcome.ok(new WatchOutput.Events(list)))
                    .orElseGet(Classifier.Outcome::fail);
        }
        if (status == 200) {
            return Classifier.Outcome.ok(new WatchOutput.Written(LockApi.revisionOrNone(response)));
        }
        if (response.unsent() || (status >= 400 && status < 500)) {
            return Classifier.Outcome.fail();
        }
        return Classifier.Outcome.info();
    }

    /**
     * The events of a watch's 200 answer, or empty when it is not a JSON array of {@code {"revision",
     * "type", "value"?, "key"?}}; {@code key} names the events' key when the answer need not.
     */
    static Optional<List<Event>> events(Response response, String key) {
        if (!response.isJson() || !response.body().strip().startsWith("[")) {
            return Optional.empty();
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; response.jsonValue("[" + i + "]").isPresent(); i++) {
            String at = "[" + i + "].";
            Optional<Long> revision = response.jsonLong(at + "revision");
            Optional<String> type = response.jsonText(at + "type");
            String eventKey = response.jsonText(at + "key").orElse(key);
            if (revision.isEmpty() || type.isEmpty() || eventKey == null) {
                return Optional.empty();
            }
            if (type.get().equals("put")) {
                Optional<String> value = response.jsonText(at + "value");
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                events.add(Event.put(revision.get(), eventKey, value.get()));
            } else if (type.get().equals("delete")) {
                events.add(Event.delete(revision.get(), eventKey));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(events);
    }
}
