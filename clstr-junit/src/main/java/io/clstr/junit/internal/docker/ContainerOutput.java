package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.clstr.junit.internal.runtime.LineSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What one container prints, across its restarts, line by line (see {@link LineSplitter}): after every start, clstr follows
 * the container's log from the last line it already saw (by the engine's timestamps), so nothing is lost
 * and nothing is repeated. The follow ends by itself when the container stops.
 */
final class ContainerOutput {
    private static final Duration END_TIMEOUT = Duration.ofSeconds(2);

    private final DockerClient client;
    private final Consumer<String> lines;
    /** Timestamp of the last log entry handed on; entries up to it belong to earlier starts. */
    private volatile Instant seen = Instant.EPOCH;

    private volatile Follower follower;

    ContainerOutput(DockerClient client, Consumer<String> lines) {
        this.client = client;
        this.lines = lines;
    }

    /** Follows the container's output after a start; the follow of the previous start ends first. */
    synchronized void follow(String containerId) {
        awaitEnd();
        Follower next = new Follower();
        client.logContainerCmd(containerId)
                .withStdOut(true)
                .withStdErr(true)
                .withFollowStream(true)
                .withTimestamps(true)
                .withSince((int) seen.getEpochSecond())
                .exec(next);
        follower = next;
    }

    /** Waits briefly for the current follow to deliver the last lines of a stopped container, then drops it. */
    synchronized void awaitEnd() {
        Follower current = follower;
        if (current == null) {
            return;
        }
        try {
            current.awaitCompletion(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current.flush();
        closeQuietly(current);
        follower = null;
    }

    private static void closeQuietly(Follower f) {
        try {
            f.close();
        } catch (IOException e) {
            // the stream is gone already
        }
    }

    /** One follow of the log: splits entries into lines per stream, skipping entries already seen. */
    private final class Follower extends ResultCallback.Adapter<Frame> {
        private final Map<StreamType, LineSplitter> partial = new EnumMap<>(StreamType.class);

        @Override
        public synchronized void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            int space = indexOf(payload, (byte) ' ');
            int start = 0;
            if (space > 0) {
                try {
                    Instant at = Instant.parse(new String(payload, 0, space, StandardCharsets.US_ASCII));
                    if (!at.isAfter(seen)) {
                        return;
                    }
                    seen = at;
                    start = space + 1;
                } catch (DateTimeParseException e) {
                    // no timestamp: hand the whole entry on
                }
            }
            partial.computeIfAbsent(frame.getStreamType(), t -> new LineSplitter(lines))
                    .write(payload, start, payload.length);
        }

        /** Hands on a last line that had no line break. */
        synchronized void flush() {
            partial.values().forEach(LineSplitter::flush);
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }
}
