package io.clstr.queue;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.stream.StreamInput;
import io.clstr.junit.stream.StreamOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Producers and consumers on a few streams, recording every call through {@link StreamClient}.
 * Each producer appends its numbered messages ({@code p2-17}) to a random key; each consumer, a
 * consumer group of its own, polls a random key from where it got to, and commits that position
 * every third poll. Clients pick a random live node and another one after anything but an ok.
 * Close it, then {@link #readAll} every key from offset 0, so that every acknowledged message has
 * a poll that passed its offset.
 */
final class StreamWorkload implements AutoCloseable {

    private static final int READER = 1000;

    private final Cluster cluster;
    private final StreamClient client;
    private final List<String> keys;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();

    StreamWorkload(
            Cluster cluster,
            History<StreamInput, StreamOutput> history,
            List<String> keys,
            int producerCount,
            int consumerCount) {
        this.cluster = cluster;
        this.client = new StreamClient(cluster, history);
        this.keys = List.copyOf(keys);
        for (int i = 0; i < producerCount + consumerCount; i++) {
            int id = i;
            long seed = cluster.random().nextLong();
            Runnable body =
                    i < producerCount ? () -> produce(id, new Random(seed)) : () -> consume(id, new Random(seed));
            threads.add(ClientThreads.daemon("stream-client-" + id, body));
        }
        threads.forEach(Thread::start);
    }

    private void produce(int id, Random random) {
        Node target = ClientLoops.pick(cluster, random);
        int n = 0;
        while (running.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            if (client.send(id, target, key, "p" + id + "-" + (++n)).completion() == Completion.OK) {
                sent.incrementAndGet();
            } else {
                target = ClientLoops.pick(cluster, random);
            }
            ClientThreads.pause();
        }
    }

    private void consume(int id, Random random) {
        Node target = ClientLoops.pick(cluster, random);
        Map<String, Long> position = new HashMap<>();
        int polls = 0;
        while (running.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            long from = position.getOrDefault(key, 0L);
            Entry<StreamInput, StreamOutput> poll = client.poll(id, target, key, from, 10);
            List<StreamOutput.Read> reads = StreamClient.reads(poll);
            if (poll.completion() != Completion.OK) {
                target = ClientLoops.pick(cluster, random);
            } else if (!reads.isEmpty()) {
                position.put(key, reads.get(reads.size() - 1).offset() + 1);
            }
            if (++polls % 3 == 0 && position.containsKey(key)) {
                if (client.commit(id, target, key, "g" + id, position.get(key)).completion() != Completion.OK) {
                    target = ClientLoops.pick(cluster, random);
                }
            }
            ClientThreads.pause();
        }
    }

    /** Waits until {@code count} more appends than now have been acknowledged, for at most {@code within}. */
    void awaitMoreSent(int count, Duration within) {
        int target = sent.get() + count;
        Poll.every(Duration.ofMillis(50)).eventually(within, sent::get, n -> n >= target);
    }

    /** Stops every client, waiting for their last operations to end. */
    @Override
    public void close() {
        running.set(false);
        ClientThreads.join(threads);
    }

    /**
     * After {@link #close}: polls every key from offset 0 to its end (a poll that returns fewer
     * than it asked for), through a random live node, within {@code limit}; fails if a key cannot
     * be read to its end.
     */
    void readAll(Duration limit) {
        Random random = new Random(cluster.random().nextLong());
        for (String key : keys) {
            long[] from = {0};
            Poll.Outcome<Boolean> done = Poll.every(Duration.ofMillis(100))
                    .eventually(
                            limit,
                            () -> {
                                List<Node> live = cluster.live();
                                Entry<StreamInput, StreamOutput> poll =
                                        client.poll(READER, live.get(random.nextInt(live.size())), key, from[0], 100);
                                List<StreamOutput.Read> reads = StreamClient.reads(poll);
                                if (!reads.isEmpty()) {
                                    from[0] = reads.get(reads.size() - 1).offset() + 1;
                                }
                                return poll.completion() == Completion.OK && reads.size() < 100;
                            },
                            end -> end);
            if (!done.held()) {
                throw Failure.of("GET /streams/" + key + "?offset=N&max=100 from offset 0 to the end, for "
                                + limit.toSeconds() + " s")
                        .expected("200 with the messages, until a poll returns fewer than 100")
                        .found("not read to its end; the last poll started at offset " + from[0])
                        .hint(
                                "After the faults healed, the stream could not be read back.",
                                "Serve polls on the leader (307 from followers) once it has confirmed its "
                                        + "leadership.")
                        .error();
            }
        }
    }
}
