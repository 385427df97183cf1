package io.clstr.reference.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One node, assembled: the log in {@code DATA_DIR} replayed into the state machine, the expiry
 * timer, and the HTTP API.
 */
final class QueueServer implements AutoCloseable {

    static final String LOG_FILE = "queue.log";

    /** How often the timer looks for deliveries whose deadline has passed. */
    private static final long TICK_MILLIS = 50;

    private final CommandLog log;
    private final HttpApi api;
    private final ScheduledExecutorService timer;
    private CompletableFuture<Outcome> expiring = CompletableFuture.completedFuture(null);
    private boolean closed;

    private QueueServer(CommandLog log, HttpApi api, ScheduledExecutorService timer) {
        this.log = log;
        this.api = api;
        this.timer = timer;
    }

    static QueueServer start(int port, Path dataDir, Bugs bugs) throws IOException {
        Files.createDirectories(dataDir);
        QueueMachine machine = new QueueMachine(bugs);
        CommandLog log = CommandLog.open(dataDir.resolve(LOG_FILE), machine, bugs);
        HttpApi api = new HttpApi(port, log, machine, bugs);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "expiry");
            t.setDaemon(true);
            return t;
        });
        QueueServer server = new QueueServer(log, api, timer);
        timer.scheduleWithFixedDelay(() -> server.expire(machine), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        api.start();
        return server;
    }

    /**
     * Expiry goes through the log like every other change: when a deadline has passed, the timer
     * appends an EXPIRE command (one at a time), and applying it makes the message visible.
     */
    private void expire(QueueMachine machine) {
        if (expiring.isDone() && machine.nextDeadline() <= System.currentTimeMillis()) {
            expiring = log.append(Command.expire());
        }
    }

    /** Graceful stop: no new requests, then the log is synced and closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        api.stop();
        log.close();
    }
}
