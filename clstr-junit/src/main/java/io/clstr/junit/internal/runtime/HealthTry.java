package io.clstr.junit.internal.runtime;

import io.clstr.junit.internal.Text;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One {@code GET /health} try while a node starts, and what it got in words, so that a node that
 * never gets healthy is told why: "connection refused on 127.0.0.1:24247 — is the server listening
 * on ADDR's port?", "answered 503", "no answer within 250 ms".
 *
 * @param healthy whether it answered 200
 * @param outcome what happened, for the failure message
 */
public record HealthTry(boolean healthy, String outcome) {

    /**
     * Sends {@code GET /health} to {@code uri} with {@code timeout} through {@code client};
     * {@code addr} is the node's ADDR, named when nothing listens.
     */
    public static HealthTry send(HttpClient client, URI uri, Duration timeout, String addr)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri.resolve("/health"))
                .timeout(timeout)
                .GET()
                .build();
        String where = uri.getHost() + ":" + uri.getPort();
        try {
            int status =
                    client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new HealthTry(status == 200, "answered " + status);
        } catch (HttpConnectTimeoutException e) {
            return new HealthTry(false, "connection not accepted on " + where + " within " + Text.millis(timeout));
        } catch (HttpTimeoutException e) {
            return new HealthTry(false, "no answer from " + where + " within " + Text.millis(timeout));
        } catch (ConnectException e) {
            return new HealthTry(
                    false,
                    "connection refused on " + where + " — is the server listening on the port of ADDR (" + addr
                            + ")?");
        } catch (IOException e) {
            return new HealthTry(false, "connection to " + where + " closed without a response");
        }
    }

    /** The failure message's tail: {@code ; the last try: <outcome>}, or nothing when there was no try. */
    public static String lastTry(HealthTry last) {
        return last == null ? "" : "; the last try: " + last.outcome();
    }
}
