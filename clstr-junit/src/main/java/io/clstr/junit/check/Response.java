package io.clstr.junit.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.clstr.junit.Node;
import io.clstr.junit.internal.Text;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.opentest4j.AssertionFailedError;

/**
 * What one node answered to one request, or why it did not answer.
 *
 * <p>On a timeout, a refused or dropped connection or a redirect that cannot be followed,
 * {@link #error()} says what happened, {@link #status()} is -1 and the body is empty.
 * Bodies are read as UTF-8 whatever the {@code Content-Type} says.
 */
public final class Response {

    /** Why a request got no answer: what {@link #error()} says in words, as a kind to branch on. */
    public enum NoAnswer {
        /** The server did not accept the connection in time (its accept queue may be full); the request was not sent. */
        NOT_ACCEPTED,
        /** The request was sent and no answer came in time; the server may have processed it. */
        TIMED_OUT,
        /** The connection was refused: nothing listens on the node's port. */
        REFUSED,
        /** The connection closed before an answer; the server may have processed the request. */
        CLOSED,
        /** The request went nowhere: the node has no URI, a connection could not be made, or a redirect led nowhere. */
        NOT_SENT
    }

    private final Node node;
    private final Node answeredBy;
    private final Request request;
    private final URI url;
    private final int status;
    private final Map<String, List<String>> headers;
    private final String body;
    private final Duration elapsed;
    private final String error;
    private final NoAnswer noAnswer;
    private final boolean unsent;
    /** The parsed body once read; a MissingNode when the body is not JSON. */
    private volatile JsonNode json;

    private Response(
            Node node,
            Node answeredBy,
            Request request,
            URI url,
            int status,
            Map<String, List<String>> headers,
            String body,
            Duration elapsed,
            String error,
            NoAnswer noAnswer,
            boolean unsent) {
        this.node = node;
        this.answeredBy = answeredBy;
        this.request = request;
        this.url = url;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.elapsed = elapsed;
        this.error = error;
        this.noAnswer = noAnswer;
        this.unsent = unsent;
    }

    public static Response answered(
            Node node,
            Node answeredBy,
            Request request,
            URI url,
            int status,
            Map<String, List<String>> headers,
            String body,
            Duration elapsed) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) ->
                copy.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        return new Response(
                node,
                answeredBy,
                request,
                url,
                status,
                Collections.unmodifiableMap(copy),
                body,
                elapsed,
                null,
                null,
                false);
    }

    /** No answer: timed out, or the connection closed without one. The request may have been processed. */
    public static Response failed(
            Node node, Node answeredBy, Request request, URI url, Duration elapsed, NoAnswer noAnswer, String error) {
        return none(node, answeredBy, request, url, elapsed, noAnswer, error, false);
    }

    /**
     * No answer, and no server processed the request: the connection was refused or could not be
     * made, or a redirect led nowhere (the node that redirected did not act on the request).
     */
    public static Response unsent(
            Node node, Node answeredBy, Request request, URI url, Duration elapsed, NoAnswer noAnswer, String error) {
        return none(node, answeredBy, request, url, elapsed, noAnswer, error, true);
    }

    private static Response none(
            Node node,
            Node answeredBy,
            Request request,
            URI url,
            Duration elapsed,
            NoAnswer noAnswer,
            String error,
            boolean unsent) {
        return new Response(
                node,
                answeredBy,
                request,
                url,
                -1,
                Map.of(),
                "",
                elapsed,
                Objects.requireNonNull(error),
                Objects.requireNonNull(noAnswer),
                unsent);
    }

    /** Whether the request certainly reached no server that could act on it (see {@code unsent}). */
    public boolean unsent() {
        return unsent;
    }

    /** The node the request was sent to. */
    public Node node() {
        return node;
    }

    /** The node whose answer this is: {@link #node()} unless a redirect was followed. */
    public Node answeredBy() {
        return answeredBy;
    }

    public Request request() {
        return request;
    }

    /** The URL of the last exchange (after any redirects followed). */
    public URI url() {
        return url;
    }

    /** The HTTP status, or -1 when there was no answer (see {@link #error()}). */
    public int status() {
        return status;
    }

    /** The body as UTF-8 text; empty when there was no answer. */
    public String body() {
        return body;
    }

    /** The first value of a header (name case-insensitive), or null when absent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every header, names case-insensitive. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Time from sending the request to the last byte of the answer, retries and redirects included. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Why there is no answer ("no answer within 500 ms", "connection refused"...), or null when there is one; see {@link #noAnswer()}. */
    public String error() {
        return error;
    }

    /** Why there was no answer, as a kind; null when the node answered. */
    public NoAnswer noAnswer() {
        return noAnswer;
    }

    /**
     * The JSON value at a dotted path such as {@code "commit-index"} or {@code "entries[0].term"},
     * as plain Java (Integer or Long, Double, String, Boolean, List, Map); null when missing.
     *
     * @throws AssertionFailedError when the body is not JSON
     */
    public Object json(String path) {
        List<Object> steps = Json.steps(path);
        JsonNode root = parsedJson();
        if (root == null) {
            throw new AssertionFailedError(this + ": body is not JSON (reading \"" + path + "\")");
        }
        return Json.toJava(Json.at(root, steps));
    }

    /** True when the node answered and its body is JSON. */
    public boolean isJson() {
        return parsedJson() != null;
    }

    /**
     * The JSON value at {@code path} (as {@link #json(String)} reads it), or empty when the body is
     * not JSON, the field is absent or it is null: for code that must tell these apart from a value
     * without catching exceptions.
     */
    public Optional<Object> jsonValue(String path) {
        JsonNode root = parsedJson();
        if (root == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(Json.toJava(Json.at(root, Json.steps(path))));
    }

    /** The whole number at {@code path}, or empty when it is absent, null, not a whole number or the body is not JSON. */
    public Optional<Long> jsonLong(String path) {
        return jsonValue(path)
                .filter(v -> v instanceof Integer || v instanceof Long)
                .map(v -> ((Number) v).longValue());
    }

    /** The string at {@code path}, or empty when it is absent, null, not a string or the body is not JSON. */
    public Optional<String> jsonText(String path) {
        return jsonValue(path).filter(String.class::isInstance).map(String.class::cast);
    }

    /** The parsed body, or null when it is not JSON. */
    JsonNode parsedJson() {
        JsonNode cached = json;
        if (cached == null) {
            JsonNode parsed = error == null ? Json.parse(body) : null;
            cached = parsed == null ? Json.missing() : parsed;
            json = cached;
        }
        return cached.isMissingNode() ? null : cached;
    }

    /** Status and body in the shape of a failure message line: {@code 200 "value"}, or the error. */
    String summary() {
        if (error != null) {
            return error;
        }
        String location = status / 100 == 3 && header("Location") != null ? " Location: " + header("Location") : "";
        return status + " " + Text.quote(body) + location;
    }

    /** Which node was asked, and which answered after redirects: {@code n2 (http://…) → n1 (http://…)}. */
    String route() {
        String first = node.name() + " (" + node.uri() + ")";
        return answeredBy == node ? first : first + " → " + answeredBy.name() + " (" + answeredBy.uri() + ")";
    }

    @Override
    public String toString() {
        return route() + ": " + summary();
    }
}
