package io.clstr.queue;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.history.ClientLoops;
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
import java.util.concurrent.atomic.AtomicBoolean;

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
    /** Whether producers send each message with a Dedup-Id (its body) and repeat it until it is acknowledged. */
    private final boolean retrying;

    Workload(
            Cluster cluster,
            History<QueueInput, QueueOutput> history,
            String queue,
            int producerCount,
            int consumerCount,
            Duration visibility,
            double dropRate) {
        this(cluster, history, queue, producerCount, consumerCount, visibility, dropRate, false);
    }

    private Workload(
            Cluster cluster,
            History<QueueInput, QueueOutput> history,
            String queue,
            int producerCount,
            int consumerCount,
            Duration visibility,
            double dropRate,
            boolean retrying) {
        this.retrying = retrying;
        this.cluster = cluster;
        this.client = new QueueClient(cluster, history);
        this.queue = queue;
        this.visibility = visibility;
        for (int i = 0; i < producerCount; i++) {
            int id = i;
            long seed = cluster.random().nextLong();
            producers.add(ClientThreads.daemon("queue-producer-" + id, () -> produce(id, new Random(seed))));
        }
        for (int i = 0; i < consumerCount; i++) {
            int id = producerCount + i;
            long seed = cluster.random().nextLong();
            consumers.add(ClientThreads.daemon("queue-consumer-" + id, () -> consume(id, new Random(seed), dropRate)));
        }
        producers.forEach(Thread::start);
        consumers.forEach(Thread::start);
    }

    /**
     * Producers only, each sending its numbered bodies with the body as Dedup-Id and repeating a
     * send (to another live node) until it is acknowledged, as a client that must not lose a
     * message does.
     */
    static Workload retryingProducers(
            Cluster cluster, History<QueueInput, QueueOutput> history, String queue, int producerCount) {
        return new Workload(cluster, history, queue, producerCount, 0, Duration.ofSeconds(5), 0, true);
    }

    private void produce(int id, Random random) {
        Node target = ClientLoops.pick(cluster, random);
        int n = 0;
        while (producing.get()) {
            String body = "p" + id + "-" + (++n);
            do {
                Entry<QueueInput, QueueOutput> done =
                        retrying ? client.send(id, target, queue, body, body) : client.send(id, target, queue, body);
                if (done.completion() == Completion.OK) {
                    sent.add(body);
                    break;
                }
                target = ClientLoops.pick(cluster, random);
                ClientThreads.pause();
            } while (retrying && producing.get());
            ClientThreads.pause();
        }
    }

    private void consume(int id, Random random, double dropRate) {
        Node target = ClientLoops.pick(cluster, random);
        while (consuming.get()) {
            Entry<QueueInput, QueueOutput> received = client.receive(id, target, queue, 3, visibility);
            if (received.completion() != Completion.OK) {
                target = ClientLoops.pick(cluster, random);
            }
            for (Delivery d : QueueClient.delivered(received)) {
                if (d.receiveCount() < 3 && random.nextDouble() < dropRate) {
                    continue;
                }
                if (client.delete(id, target, queue, d.receipt()).completion() == Completion.OK) {
                    deleted.add(d.body());
                } else {
                    target = ClientLoops.pick(cluster, random);
                }
            }
            ClientThreads.pause();
        }
    }

    /** Waits until {@code count} more sends than now have been acknowledged, for at most {@code within}. */
    void awaitMoreSent(int count, Duration within) {
        int target = sent.size() + count;
        Poll.every(Duration.ofMillis(50)).eventually(within, sent::size, n -> n >= target);
    }

    /** Waits until consumers have deleted {@code count} more messages than now, for at most {@code within}. */
    void awaitMoreDeleted(int count, Duration within) {
        int target = deleted.size() + count;
        Poll.every(Duration.ofMillis(50)).eventually(within, deleted::size, n -> n >= target);
    }

    /** Waits until every acknowledged send has been deleted by a consumer, for at most {@code within}. */
    void awaitAllDeleted(Duration within) {
        Poll.every(Duration.ofMillis(100)).eventually(within, () -> deleted.containsAll(sent), done -> done);
    }

    /** Stops the producers, waiting for their last sends to end. */
    void stopProducers() {
        producing.set(false);
        ClientThreads.join(producers);
    }

    /** Stops every client, waiting for their last operations to end. */
    @Override
    public void close() {
        producing.set(false);
        consuming.set(false);
        ClientThreads.join(producers);
        ClientThreads.join(consumers);
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
     * {@code limit}; sends to a random live node, following redirects. Fails when it does not drain.
     */
    static void drain(
            Cluster cluster, QueueClient client, int clientId, String queue, Duration visibility, Duration limit) {
        Random random = new Random(cluster.random().nextLong());
        Poll.Outcome<Boolean> drained = Poll.every(Duration.ofMillis(100))
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
        if (!drained.held()) {
            throw Failure.of("receive (up to 10, hidden " + visibility.toSeconds() + " s) and delete on " + queue
                            + " until GET /queues/" + queue + " counts nothing, for " + limit.toSeconds() + " s")
                    .expected("{\"visible\": 0, \"in-flight\": 0} once every message was received and deleted")
                    .found("messages still visible or in flight after " + limit.toSeconds() + " s")
                    .hint(
                            "The queue did not drain: messages stayed in flight, kept coming back, or receives "
                                    + "failed.",
                            "An in-flight message whose visibility ran out must come back, also after a restart or "
                                    + "a failover: deadlines are state, kept as absolute times.",
                            "A delete answered 200 removes the message for good.")
                    .error();
        }
    }

    /**
     * The clients did enough that the checkers' verdict means something: at least {@code minSends}
     * sends and as many deliveries answered 200. A cluster that refuses everything loses nothing.
     */
    static void expectEnoughDone(History<QueueInput, QueueOutput> history, int minSends) {
        long sends = 0;
        long delivered = 0;
        for (Entry<QueueInput, QueueOutput> e : history.entries()) {
            if (e.completion() != Completion.OK) {
                continue;
            }
            if (e.input() instanceof QueueInput.Send) {
                sends++;
            }
            delivered += QueueClient.delivered(e).size();
        }
        if (sends < minSends || delivered < minSends) {
            throw Failure.of("producers and consumers on one queue while the faults ran")
                    .expected("at least " + minSends + " sends and " + minSends + " deliveries answered 200")
                    .found(sends + " sends and " + delivered + " deliveries of "
                            + history.entries().size() + " operations")
                    .hint(
                            "Too few operations succeeded to judge the history.",
                            "Outside the moments of a crash (and the election after it) the leader must keep "
                                    + "serving.",
                            "A queue that refuses everything loses nothing, so this stage asks for availability too.")
                    .error();
        }
    }
}
