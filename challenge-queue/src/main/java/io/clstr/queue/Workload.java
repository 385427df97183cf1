package io.clstr.queue;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Poll;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.queue.QueueInput;
import io.clstr.junit.queue.QueueOutput;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Producers and consumers on one queue, recording every call into a {@link History} through
 * {@link QueueClient}. Each producer sends its own numbered bodies ({@code p3-17}), one at a time;
 * each consumer receives up to three messages at a time and deletes each one, except that it drops
 * (leaves to expire) a message with probability {@code dropRate} while it has been delivered fewer
 * than three times. Clients send to a random live node and move to another after anything but an
 * ok. Random choices come from the cluster's seed. Close it, then {@link #drain(Duration)} what is
 * left.
 */
final class Workload implements AutoCloseable {

    /** The pause between one client's operations. */
    private static final long PACE_MILLIS = 15;

    /** The client id of the drain, after the producers' and consumers' ids. */
    private static final int DRAIN_CLIENT = 1000;

    private final Cluster cluster;
    private final QueueClient client;
    private final String queue;
    private final Duration visibility;
    private final List<Thread> producers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    Workload(
            Cluster cluster,
            History<QueueInput, QueueOutput> history,
            String queue,
            int producerCount,
            int consumerCount,
            Duration visibility,
            double dropRate) {
        this.cluster = cluster;
        this.client = new QueueClient(cluster, history);
        this.queue = queue;
        this.visibility = visibility;
        for (int i = 0; i < producerCount; i++) {
            int id = i;
            long seed = cluster.random().nextLong();
            producers.add(thread("producer-" + id, () -> produce(id, new Random(seed))));
        }
        for (int i = 0; i < consumerCount; i++) {
            int id = producerCount + i;
            long seed = cluster.random().nextLong();
            consumers.add(thread("consumer-" + id, () -> consume(id, new Random(seed), dropRate)));
        }
        producers.forEach(Thread::start);
        consumers.forEach(Thread::start);
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, "queue-" + name);
        t.setDaemon(true);
        return t;
    }

    private void produce(int id, Random random) {
        Node target = pick(random);
        int n = 0;
        while (producing.get()) {
            String body = "p" + id + "-" + (++n);
            Entry<QueueInput, QueueOutput> done = client.send(id, target, queue, body);
            if (done.completion() == Completion.OK) {
                sent.add(body);
            } else {
                target = pick(random);
            }
            pause();
        }
    }

    private void consume(int id, Random random, double dropRate) {
        Node target = pick(random);
        while (consuming.get()) {
            Entry<QueueInput, QueueOutput> received = client.receive(id, target, queue, 3, visibility);
            if (received.completion() != Completion.OK) {
                target = pick(random);
            }
            for (Delivery d : QueueClient.delivered(received)) {
                if (d.receiveCount() < 3 && random.nextDouble() < dropRate) {
                    continue;
                }
                if (client.delete(id, target, queue, d.receipt()).completion() == Completion.OK) {
                    deleted.add(d.body());
                } else {
                    target = pick(random);
                }
            }
            pause();
        }
    }

    private Node pick(Random random) {
        List<Node> live = cluster.live();
        List<Node> from = live.isEmpty() ? cluster.members() : live;
        return from.get(random.nextInt(from.size()));
    }

    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS));
    }

    /** Waits until {@code count} more sends than now have been acknowledged, for at most {@code within}. */
    void awaitMoreSent(int count, Duration within) {
        int target = sent.size() + count;
        Poll.every(Duration.ofMillis(50)).eventually(within, sent::size, n -> n >= target);
    }

    /** Waits until every acknowledged send has been deleted by a consumer, for at most {@code within}. */
    void awaitAllDeleted(Duration within) {
        Poll.every(Duration.ofMillis(100)).eventually(within, () -> deleted.containsAll(sent), done -> done);
    }

    /** Stops the producers, waiting for their last sends to end. */
    void stopProducers() {
        producing.set(false);
        join(producers);
    }

    /** Stops every client, waiting for their last operations to end. */
    @Override
    public void close() {
        producing.set(false);
        consuming.set(false);
        join(producers);
        join(consumers);
    }

    /**
     * After {@link #close}: receives and deletes until the queue counts nothing visible and
     * nothing in flight, within {@code limit}. Messages a receive with no answer may have put in
     * flight come back when their visibility runs out, and are drained then.
     */
    void drain(Duration limit) {
        drain(cluster, client, DRAIN_CLIENT, queue, visibility, limit);
    }

    /**
     * Receives (up to 10 at a time, hidden for {@code visibility}) and deletes as client
     * {@code clientId} until {@code queue} counts nothing visible and nothing in flight, within
     * {@code limit}; sends to a random live node, following redirects.
     */
    static void drain(
            Cluster cluster, QueueClient client, int clientId, String queue, Duration visibility, Duration limit) {
        Random random = new Random(cluster.random().nextLong());
        Poll.every(Duration.ofMillis(100))
                .eventually(
                        limit,
                        () -> {
                            List<Node> live = cluster.live();
                            Node target = live.get(random.nextInt(live.size()));
                            Entry<QueueInput, QueueOutput> received =
                                    client.receive(clientId, target, queue, 10, visibility);
                            List<Delivery> delivered = QueueClient.delivered(received);
                            delivered.forEach(d -> client.delete(clientId, target, queue, d.receipt()));
                            if (received.completion() != Completion.OK || !delivered.isEmpty()) {
                                return false;
                            }
                            return QueueClient.empty(cluster, target, queue);
                        },
                        empty -> empty);
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
