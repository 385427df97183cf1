package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Failure;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.lock.WatchInput;
import io.clstr.junit.lock.WatchOutput;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A watcher that loops on a prefix watch as a client of etcd would: from a revision, each poll asking
 * for the revision after the last event it got, another node after a failure. Its polls are
 * recorded; {@link #catchUp} ends it once it has seen a given revision.
 */
final class Watcher implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long next;

    Watcher(Cluster cluster, WatchClient client, int clientId, String prefix, long from) {
        this.next = from;
        Random random = new Random(cluster.seed() ^ prefix.hashCode());
        this.thread = new Thread(
                () -> {
                    Node node = ClientLoops.pick(cluster, random);
                    while (running) {
                        Entry<WatchInput, WatchOutput> poll = client.watchPrefix(clientId, node, prefix, next);
                        if (poll.completion() == Completion.OK && poll.output() instanceof WatchOutput.Events got) {
                            List<WatchOutput.Event> events = got.events();
                            if (!events.isEmpty()) {
                                next = Math.max(
                                        next, events.get(events.size() - 1).revision() + 1);
                            }
                        } else {
                            node = ClientLoops.pick(cluster, random);
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                        }
                    }
                },
                "watcher-" + prefix);
        thread.setDaemon(true);
        thread.start();
    }

    /** The revision the watcher asks for next: one above the last event it got. */
    long next() {
        return next;
    }

    /** Waits until the watcher asks for a revision above {@code revision}, then stops it; fails after {@code within}. */
    void catchUp(long revision, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (next <= revision) {
            if (System.nanoTime() > deadline) {
                close();
                throw Failure.of("a watcher looping on GET /watch/{prefix}?rev=N&prefix=true&wait=3")
                        .expected("events up to revision " + revision + " (the last acknowledged write) within "
                                + within.toSeconds() + " s")
                        .found("it still asks for revision " + next)
                        .hint(
                                "A watcher never received the events of acknowledged writes.",
                                "Answer a waiting watch as soon as a write it covers is applied.",
                                "Keep the event history in the replicated state, so any leader can answer.")
                        .error();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        close();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(WatchClient.WAIT_SECONDS + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
