package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.linearizability.KvInput;
import io.clstr.junit.linearizability.Models;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Clients that each run GET, PUT and DELETE on a few keys, one operation at a time, until
 * closed, recording every call in a {@link History} through {@link KvClient} (which follows
 * 307s). A client keeps sending to one node while it answers 200 or 404 (a follower's 307 is
 * followed to the leader) and picks another live node at random after any other outcome. Every PUT writes a value no one else writes, so
 * the checker can tell writes apart. Random choices come from the cluster's seed.
 */
final class Clients implements AutoCloseable {

    /** The pause between one client's operations: keeps the history a size the checker decides quickly. */
    private static final long PACE_MILLIS = 20;

    /** How many clients {@link #checkLinearizable} runs, and on which keys. */
    static final int COUNT = 8;

    static final List<String> KEYS = List.of("k1", "k2", "k3", "k4", "k5");
    /** A calm stretch lasts at least this long... */
    static final Duration CALM = Duration.ofSeconds(2);
    /** ...and until this many more operations have succeeded... */
    static final int CALM_OPERATIONS = 50;
    /** ...which must happen within this long. */
    static final Duration CALM_LIMIT = Duration.ofSeconds(10);

    private final Cluster cluster;
    private final KvClient kv;
    private final List<String> keys;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** Starts {@code count} clients on {@code keys}, recording into {@code history}. */
    Clients(Cluster cluster, History<KvInput, Object> history, int count, List<String> keys) {
        this.cluster = cluster;
        this.kv = new KvClient(cluster, history);
        this.keys = List.copyOf(keys);
        for (int id = 0; id < count; id++) {
            int client = id;
            long seed = cluster.random().nextLong();
            Thread thread = new Thread(() -> run(client, new Random(seed)), "kv-store-client-" + client);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void run(int client, Random random) {
        Node target = ClientLoops.pick(cluster, random);
        int written = 0;
        while (running.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(10);
            Entry<KvInput, Object> done;
            try {
                if (dice < 5) {
                    done = kv.get(client, target, key);
                } else if (dice < 9) {
                    done = kv.put(client, target, key, "c" + client + "-" + (++written));
                } else {
                    done = kv.delete(client, target, key);
                }
            } catch (RuntimeException e) {
                done = null;
            }
            if (done == null || done.completion() != Completion.OK) {
                target = ClientLoops.pick(cluster, random);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS));
        }
    }

    /**
     * A calm stretch of a fault schedule: lets the clients work for at least {@link #CALM} and
     * until {@link #CALM_OPERATIONS} more operations have succeeded; fails when they have not within
     * {@link #CALM_LIMIT}.
     */
    void calm() {
        long start = System.nanoTime();
        long target = succeeded(kv.history()) + CALM_OPERATIONS;
        Poll.Outcome<Long> outcome = Poll.every(Poll.DEFAULT_INTERVAL)
                .describedAs("a calm stretch of the workload")
                .eventually(
                        CALM_LIMIT,
                        () -> succeeded(kv.history()),
                        done -> done >= target && System.nanoTime() - start >= CALM.toNanos());
        if (outcome.last() < target) {
            throw Failure.of(threads.size() + " clients on " + keys.size() + " keys, for " + CALM_LIMIT.toSeconds()
                            + " s between two faults")
                    .expected(CALM_OPERATIONS + " more operations answered 200 (or 404 for a missing key)")
                    .found((outcome.last() - target + CALM_OPERATIONS) + " in " + CALM_LIMIT.toSeconds() + " s")
                    .hint(
                            "The clients made no progress between two faults or membership changes.",
                            "Once a fault is over (and the election after it), the leader must serve reads and "
                                    + "writes again.")
                    .error();
        }
    }

    /**
     * The linearizability test of stages 6–8: {@link #COUNT} clients on {@link #KEYS} while
     * {@code schedule} runs (its faults separated by {@link #calm()} stretches, and one before it);
     * then at least {@code minimum} operations must have succeeded, reads and writes, and the
     * history must be linearizable ({@code Models.kv()}). {@code during} says what the schedule does;
     * {@code causes} are the hint's likely causes.
     */
    static void checkLinearizable(
            Cluster cluster, String during, int minimum, Consumer<Clients> schedule, String... causes) {
        History<KvInput, Object> history = cluster.history();
        try (Clients clients = new Clients(cluster, history, COUNT, KEYS)) {
            clients.calm();
            schedule.accept(clients);
        }
        expectEnoughDone(history, COUNT + " clients on " + KEYS.size() + " keys " + during, minimum);
        cluster.assertLinearizable(
                history, Models.kv(), "Some client saw a result no order of the operations explains.", causes);
    }

    /**
     * Fails unless the history holds at least {@code minimum} successful operations, reads and
     * writes both: a cluster that refuses everything is trivially linearizable, so the stages ask
     * for availability outside the moments of a fault.
     */
    static void expectEnoughDone(History<KvInput, Object> history, String workload, int minimum) {
        List<Entry<KvInput, Object>> entries = history.entries();
        long reads = entries.stream()
                .filter(e -> e.completion() == Completion.OK && e.input().kind() == KvInput.Kind.GET)
                .count();
        long writes = entries.stream()
                .filter(e -> e.completion() == Completion.OK && e.input().kind() != KvInput.Kind.GET)
                .count();
        if (reads + writes < minimum || reads == 0 || writes == 0) {
            throw Failure.of(workload)
                    .expected("at least " + minimum
                            + " operations answered 200 (or 404 for a missing key), reads and writes")
                    .found(reads + " reads and " + writes + " writes of " + entries.size() + " operations")
                    .hint(
                            "Too few operations succeeded to judge the history.",
                            "Outside the moments of a fault or membership change (and the election after it) the "
                                    + "leader must keep serving.",
                            "A cluster that refuses everything is trivially consistent, so this stage asks for "
                                    + "availability too.")
                    .error();
        }
    }

    private static long succeeded(History<KvInput, Object> history) {
        return history.entries().stream()
                .filter(e -> e.completion() == Completion.OK)
                .count();
    }

    /** Stops the clients and waits for their last operations to end. */
    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
