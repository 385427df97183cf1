package io.clstr.junit.internal.check;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.config.ConnectionConfig;
import org.apache.http.conn.HttpConnectionFactory;
import org.apache.http.conn.ManagedHttpClientConnection;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.conn.DefaultHttpResponseParserFactory;
import org.apache.http.impl.conn.DefaultManagedHttpClientConnection;
import org.apache.http.impl.io.DefaultHttpRequestWriterFactory;

/**
 * A pooled connection's socket input, which ends an answer still trickling in at the cut-off
 * of the exchange that reads it (twice its timeout): each read waits for bytes at most the
 * exchange's timeout, and no longer than is left until the cut-off; past it, a read throws a
 * {@link SocketTimeoutException} without reading. The kernel keeps both waits (the socket's
 * timeout), so no timer runs per exchange.
 *
 * <p>Writes are not cut off: a request is written before its answer is read, and the socket's
 * send buffer takes a check's request whole unless the server stops reading for megabytes.
 *
 * <p>The cut-off belongs to the thread running the exchange ({@link #arm}), as every read of an
 * exchange happens on it; a thread with none armed reads as a plain socket does.
 */
final class CutoffInput extends FilterInputStream {

    /** HttpClient's connections (its response parser, 8 KiB buffers), reading through this stream. */
    static final HttpConnectionFactory<HttpRoute, ManagedHttpClientConnection> CONNECTIONS = CutoffInput::connection;

    private static final AtomicLong IDS = new AtomicLong();
    private static final ThreadLocal<Deadline> DEADLINE = ThreadLocal.withInitial(Deadline::new);

    private final Socket socket;

    private CutoffInput(Socket socket) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
    }

    /** Arms the calling thread's cut-off {@code cutoffMs} from now, for an exchange whose reads wait at most {@code timeoutMs}. */
    static Deadline arm(long cutoffMs, int timeoutMs) {
        Deadline deadline = DEADLINE.get();
        deadline.at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cutoffMs);
        deadline.timeoutMs = timeoutMs;
        deadline.armed = true;
        return deadline;
    }

    @Override
    public int read() throws IOException {
        beforeRead();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        beforeRead();
        return in.read(b, off, len);
    }

    /** Shortens the socket's timeout to what is left until the cut-off when that is less; past it, throws. */
    private void beforeRead() throws IOException {
        Deadline deadline = DEADLINE.get();
        if (!deadline.armed) {
            return;
        }
        long left = deadline.at - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("answer not complete at the cut-off (twice the timeout)");
        }
        long leftMs = TimeUnit.NANOSECONDS.toMillis(left) + 1;
        if (leftMs < deadline.timeoutMs) {
            socket.setSoTimeout((int) leftMs);
        }
    }

    private static ManagedHttpClientConnection connection(HttpRoute route, ConnectionConfig config) {
        ConnectionConfig c = config != null ? config : ConnectionConfig.DEFAULT;
        return new DefaultManagedHttpClientConnection(
                "clstr-" + IDS.incrementAndGet(),
                c.getBufferSize(),
                c.getFragmentSizeHint(),
                null,
                null,
                c.getMessageConstraints(),
                null,
                null,
                DefaultHttpRequestWriterFactory.INSTANCE,
                DefaultHttpResponseParserFactory.INSTANCE) {
            @Override
            protected InputStream getSocketInputStream(Socket socket) throws IOException {
                return new CutoffInput(socket);
            }
        };
    }

    /** One thread's cut-off: armed for the exchange it runs, disarmed after. */
    static final class Deadline {
        private long at;
        private int timeoutMs;
        private boolean armed;

        void disarm() {
            armed = false;
        }
    }
}
