package io.clstr.junit.internal.runtime;

import io.clstr.junit.internal.Text;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

/**
 * One {@code GET /health} try while a node starts, and what it got in words, so that a node that
 * never gets healthy is told why: "connection refused on 127.0.0.1:24247 — is the server listening
 * on ADDR's port?", "answered 503", "no answer within 250 ms".
 *
 * <p>It goes through {@link HttpURLConnection}, one connection per try, closed after it: the JDK's
 * {@code java.net.http} client costs a cold JVM (the first stage of a run) a few hundred
 * milliseconds to set up, most of it its TLS context, which a plain-HTTP health check never uses.
 *
 * @param healthy whether it answered 200
 * @param outcome what happened, for the failure message
 */
public record HealthTry(boolean healthy, String outcome) {

    /**
     * Sends {@code GET /health} to {@code uri}, waiting at most {@code timeout} to connect and at
     * most {@code timeout} for the answer once connected; {@code addr} is the node's ADDR, named when nothing
     * listens. Throws {@link InterruptedException} when the thread is interrupted before the try.
     */
    public static HealthTry send(URI uri, Duration timeout, String addr) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before GET /health");
        }
        String where = uri.getHost() + ":" + uri.getPort();
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) uri.resolve("/health").toURL().openConnection(Proxy.NO_PROXY);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("no URL for GET /health on " + uri, e);
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        // both before connecting: a read timeout set after connect() no longer reaches the socket
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())); // 0 would be none
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        try {
            try {
                connection.connect();
            } catch (SocketTimeoutException e) {
                return new HealthTry(false, "connection not accepted on " + where + " within " + Text.millis(timeout));
            } catch (ConnectException e) {
                return new HealthTry(
                        false,
                        "connection refused on " + where + " — is the server listening on the port of ADDR (" + addr
                                + ")?");
            }
            int status = connection.getResponseCode();
            if (status < 0) {
                return new HealthTry(false, "connection to " + where + " answered something other than HTTP");
            }
            return new HealthTry(status == 200, "answered " + status);
        } catch (SocketTimeoutException e) {
            return new HealthTry(false, "no answer from " + where + " within " + Text.millis(timeout));
        } catch (IOException e) {
            return new HealthTry(false, "connection to " + where + " closed without a response");
        } finally {
            connection.disconnect();
        }
    }

    /** The failure message's tail: {@code ; the last try: <outcome>}, or nothing when there was no try. */
    public static String lastTry(HealthTry last) {
        return last == null ? "" : "; the last try: " + last.outcome();
    }
}
