package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.ClientLoops;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A client keeping one lease alive: {@code POST /leases/{id}/keepalive} every {@code every} to a
 * live node (following its redirect to the leader), another node at once after a failure. It
 * remembers when the last acknowledged keepalive was sent and the first refusal it got.
 */
final class KeepAlive implements AutoCloseable {

    private final Cluster cluster;
    private final String lease;
    private final Duration every;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastAckInvoked;
    private volatile Response refusal;

    KeepAlive(Cluster cluster, String lease, Duration every) {
        this.cluster = cluster;
        this.lease = lease;
        this.every = every;
        this.lastAckInvoked = System.nanoTime();
        this.thread = new Thread(this::run, "keepalive-" + lease);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Random random = new Random(cluster.seed() ^ lease.hashCode());
        Request request = Request.post("/leases/" + lease + "/keepalive", "")
                .withFollowRedirects(true)
                .withTimeout(Duration.ofMillis(500));
        Node node = ClientLoops.pick(cluster, random);
        while (running) {
            long invoked = System.nanoTime();
            Response answer = cluster.send(node, request);
            if (answer.status() == 200) {
                lastAckInvoked = invoked;
                LockSupport.parkNanos(every.toNanos());
            } else {
                if (answer.status() == 404 && refusal == null) {
                    refusal = answer;
                }
                node = ClientLoops.pick(cluster, random);
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
    }

    /** When the last keepalive answered 200 was sent, on {@link System#nanoTime()}'s clock (or when this started). */
    long lastAckInvoked() {
        return lastAckInvoked;
    }

    /** The first 404 a keepalive got (the lease was gone), or null. */
    Response refusal() {
        return refusal;
    }

    /** Stops sending keepalives and waits for the last one to end. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
