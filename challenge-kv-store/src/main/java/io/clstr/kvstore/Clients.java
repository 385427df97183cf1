package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.linearizability.KvInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

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
