package io.clstr.junit.internal.runtime;

import io.clstr.junit.internal.Text;
import io.clstr.junit.internal.check.Http;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.impl.NoConnectionReuseStrategy;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * Sends the {@code GET /health} tries of a runtime's starting nodes, each on a connection of its own
 * (a node that restarts on the same port never meets a stale one), through the same HTTP client as
 * the checks: plain HTTP only, so that, unlike {@code java.net.http}, it sets up no TLS context (the
 * JVM's trust store parsed, about a third of a second of CPU on every start). The client is built
 * on the first try, so a runtime that starts no node (one that only builds) never builds it.
 * Thread-safe; {@link #close()} closes its connections.
 */
public final class HealthProbe implements AutoCloseable {
    private CloseableHttpClient client;
    private boolean closed;

    /**
     * Sends {@code GET /health} to {@code uri} with {@code timeout} for connecting and for each wait
     * for bytes of the answer; {@code addr} is the node's ADDR, named when nothing listens. An
     * interrupt during the try ends it and throws {@link InterruptedException}.
     */
    public HealthTry send(URI uri, Duration timeout, String addr) throws InterruptedException {
        int ms = (int) Math.max(1, timeout.toMillis());
        HttpGet get = new HttpGet(uri.resolve("/health"));
        get.setConfig(RequestConfig.custom()
                .setConnectTimeout(ms)
                .setSocketTimeout(ms)
                .setConnectionRequestTimeout(ms)
                .build());
        String where = uri.getHost() + ":" + uri.getPort();
        CloseableHttpClient client = client();
        if (client == null) { // closed: the runtime is ending its nodes, which ends the wait for this one
            return new HealthTry(false, "not sent to " + where + ": the runtime is closed");
        }
        HealthTry result;
        try (CloseableHttpResponse response = client.execute(get)) {
            EntityUtils.consume(response.getEntity());
            int status = response.getStatusLine().getStatusCode();
            result = new HealthTry(status == 200, "answered " + status);
        } catch (ConnectTimeoutException e) {
            result = new HealthTry(false, "connection not accepted on " + where + " within " + Text.millis(timeout));
        } catch (SocketTimeoutException e) {
            result = new HealthTry(false, "no answer from " + where + " within " + Text.millis(timeout));
        } catch (ConnectException e) {
            result = new HealthTry(
                    false,
                    "connection refused on " + where + " — is the server listening on the port of ADDR (" + addr
                            + ")?");
        } catch (IOException e) {
            result = new HealthTry(false, "connection to " + where + " closed without a response");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while sending GET /health to " + where);
        }
        return result;
    }

    /** The client, built on the first call; null once closed. */
    private synchronized CloseableHttpClient client() {
        if (closed) {
            return null;
        }
        if (client == null) {
            client = Http.plainClient(Http.plainPool())
                    .setConnectionReuseStrategy(NoConnectionReuseStrategy.INSTANCE)
                    .build();
        }
        return client;
    }

    /** Closes the client's connections, if it was built; later tries send nothing and are not healthy. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // its sockets are closed as far as they can be
            }
        }
    }
}
