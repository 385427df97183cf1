package io.clstr.junit.history;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Client threads that each repeat one step (typically one or two recorded operations) until
 * closed, paced so that histories stay a size the checkers judge quickly. Each client has its own
 * {@link Random} drawn from the cluster's seed; an exception ends nothing but that step.
 *
 * <pre>{@code
 * try (ClientLoops clients = ClientLoops.start(cluster, "counter", 4, (id, random) ->
 *         counters.increment(id, ClientLoops.pick(cluster, random)))) {
 *     cluster.kill(leader);
 *     ...
 * }
 * }</pre>
 */
public final class ClientLoops implements AutoCloseable {

    /** One step of one client: called again and again until the loops are closed. */
    @FunctionalInterface
    public interface Step {
        void run(int client, Random random) throws Exception;
    }

    /** The pause between two steps of one client. */
    private static final long PACE_MILLIS = 15;

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private ClientLoops() {}

    /** Starts {@code count} clients named {@code name-0}… that repeat {@code step}. */
    public static ClientLoops start(Cluster cluster, String name, int count, Step step) {
        ClientLoops loops = new ClientLoops();
        for (int id = 0; id < count; id++) {
            int client = id;
            Random random = new Random(cluster.random().nextLong());
            Thread thread = new Thread(() -> loops.run(step, client, random), name + "-" + id);
            thread.setDaemon(true);
            loops.threads.add(thread);
        }
        loops.threads.forEach(Thread::start);
        return loops;
    }

    private void run(Step step, int client, Random random) {
        while (running.get()) {
            try {
                step.run(client, random);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the step's recorded operations carry its outcome; the loop goes on
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS));
        }
    }

    /** Whether the loops still run: a step that waits in a loop of its own should check it. */
    public boolean running() {
        return running.get();
    }

    /** A random live node (any member when none is live). */
    public static Node pick(Cluster cluster, Random random) {
        List<Node> live = cluster.live();
        List<Node> from = live.isEmpty() ? cluster.members() : live;
        return from.get(random.nextInt(from.size()));
    }

    /** Stops the clients and waits up to 10 s for each to finish its step. */
    @Override
    public void close() {
        running.set(false);
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
