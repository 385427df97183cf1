package io.clstr.lock;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.lock.LockInput;
import io.clstr.junit.lock.LockOutput;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients contending for one lock, each with a lease of its own, recorded for the lock checkers:
 * a client keeps its lease alive, acquires (waiting in the queue when {@code wait} is above 0),
 * holds the lock a moment, then releases it or, now and then, revokes its lease and takes a new one.
 * Also the single steps the partition scenarios are made of.
 */
final class LockWorkload implements AutoCloseable {

    /** The TTL of the contending clients' leases. */
    static final long TTL = 2;

    private static final long KEEPALIVE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(600);

    private final History<LockInput, LockOutput> history;
    private final ClientLoops loops;

    private LockWorkload(History<LockInput, LockOutput> history, ClientLoops loops) {
        this.history = history;
        this.loops = loops;
    }

    /** {@code clients} clients contending for {@code lock}, waiting up to {@code waitSeconds} per acquire. */
    static LockWorkload contend(
            Cluster cluster, History<LockInput, LockOutput> history, String lock, int clients, long waitSeconds) {
        LockClient client = new LockClient(cluster, history);
        Holder[] holders = new Holder[clients];
        for (int i = 0; i < clients; i++) {
            holders[i] = new Holder();
        }
        ClientLoops loops = ClientLoops.start(
                cluster,
                "lock-" + lock,
                clients,
                (id, random) -> holders[id].step(cluster, client, id, random, lock, waitSeconds));
        return new LockWorkload(history, loops);
    }

    /** What one client knows: its lease and when it was last kept alive. */
    private static final class Holder {
        String lease;
        long alive;

        void step(Cluster cluster, LockClient client, int id, Random random, String lock, long waitSeconds) {
            Node node = ClientLoops.pick(cluster, random);
            if (lease == null) {
                long invoked = System.nanoTime();
                Entry<LockInput, LockOutput> grant = client.grant(id, node, TTL);
                if (grant.completion() == Completion.OK && grant.output() instanceof LockOutput.LeaseGranted g) {
                    lease = g.id();
                    alive = invoked;
                }
                return;
            }
            if (System.nanoTime() - alive > KEEPALIVE_AFTER_NANOS && !keepalive(client, id, node)) {
                return;
            }
            Entry<LockInput, LockOutput> acquire = client.acquire(id, node, lock, lease, TTL, waitSeconds);
            if (acquire.completion() != Completion.OK) {
                return;
            }
            if (acquire.output() instanceof LockOutput.Refused) {
                lease = null;
                return;
            }
            if (acquire.output() instanceof LockOutput.Granted) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30 + random.nextInt(120)));
                if (random.nextInt(10) == 0) {
                    client.revoke(id, node, lease);
                    lease = null;
                } else if (client.release(id, node, lock, lease).completion() != Completion.OK) {
                    // the release may take effect any time later: the checks cannot bound this lease's
                    // later holds, so the client goes on with a new one
                    lease = null;
                }
            }
        }

        /** A keepalive; false when the lease is gone (the client takes a new one) or the answer did not come. */
        private boolean keepalive(LockClient client, int id, Node node) {
            long invoked = System.nanoTime();
            Entry<LockInput, LockOutput> ka = client.keepalive(id, node, lease, TTL);
            if (ka.completion() == Completion.OK && ka.output() instanceof LockOutput.Done) {
                alive = invoked;
                return true;
            }
            if (ka.completion() == Completion.OK) {
                lease = null;
            }
            return false;
        }
    }

    /**
     * {@code clients} clients contending for {@code lock} (waiting up to {@code waitSeconds}) through
     * {@link Chaos}'s 15 s schedule; fails unless 10 acquires at least were granted.
     */
    static void throughChaos(
            Cluster cluster, History<LockInput, LockOutput> history, String lock, int clients, long waitSeconds) {
        try (LockWorkload workload = contend(cluster, history, lock, clients, waitSeconds)) {
            Chaos.run(cluster, Duration.ofSeconds(15));
            workload.expectGrants(10);
        }
    }

    /** Fails unless at least {@code n} acquires were granted: a service that grants nothing excludes trivially. */
    void expectGrants(int n) {
        long granted = history.entries().stream()
                .filter(e -> e.completion() == Completion.OK && e.output() instanceof LockOutput.Granted)
                .count();
        if (granted < n) {
            throw Failure.of("clients contending for a lock while the faults ran")
                    .expected("at least " + n + " acquires answered 200")
                    .found(granted + " of " + history.entries().size() + " operations")
                    .hint(
                            "Too few acquires succeeded to judge mutual exclusion.",
                            "Outside a crash and the election after it, the leader must keep granting free locks.",
                            "Release and revoke must free the lock at once.")
                    .error();
        }
    }

    @Override
    public void close() {
        loops.close();
    }

    // ---------------------------------------------------------------- single steps

    /** A lease of {@code ttl} seconds granted on {@code node}; fails if the grant does not answer 200. */
    static String lease(LockClient client, int id, Node node, long ttl) {
        Entry<LockInput, LockOutput> grant = client.grant(id, node, ttl);
        if (grant.completion() == Completion.OK && grant.output() instanceof LockOutput.LeaseGranted g) {
            return g.id();
        }
        throw Failure.of("POST /leases with " + ttl + " on " + node.name())
                .expected("200 {\"id\", \"ttl\"}")
                .found(String.valueOf(grant))
                .hint("The leader must grant a lease while the cluster is healthy.")
                .error();
    }

    /** Fails unless {@code acquire} answered 200. */
    static long expectGranted(Entry<LockInput, LockOutput> acquire, String lock) {
        if (acquire.completion() == Completion.OK && acquire.output() instanceof LockOutput.Granted g) {
            return g.token();
        }
        throw Failure.of("POST /locks/" + lock + " of a free lock")
                .expected("200")
                .found(String.valueOf(acquire))
                .hint("A free lock must be granted to the first lease that asks.", NamedLocks.REPLICATED_LOCKS)
                .error();
    }

    /** Keepalives of {@code lease} every 0.3 s on {@code node} only, recorded, until closed. */
    static Pinned keepaliveOn(LockClient client, int id, Node node, String lease, long ttl) {
        return new Pinned(client, id, node, lease, ttl);
    }

    /** A holder that keeps its lease alive through one node only, as a client cut off with it would. */
    static final class Pinned implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        private Pinned(LockClient client, int id, Node node, String lease, long ttl) {
            thread = new Thread(
                    () -> {
                        while (running) {
                            client.keepalive(id, node, lease, ttl);
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
                        }
                    },
                    "keepalive-" + lease);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Tries to acquire {@code lock} on {@code nodes} every 0.1 s until granted; fails after {@code within}. */
    static long acquireWithin(
            Cluster cluster,
            LockClient client,
            int id,
            List<Node> nodes,
            String lock,
            String lease,
            long ttl,
            Duration within) {
        Random random = new Random(cluster.seed());
        Poll.Outcome<Entry<LockInput, LockOutput>> outcome = Poll.every(Duration.ofMillis(100))
                .describedAs("the majority to grant " + lock)
                .eventually(
                        within,
                        () -> client.acquire(id, nodes.get(random.nextInt(nodes.size())), lock, lease, ttl, 0),
                        entry -> entry.completion() == Completion.OK && entry.output() instanceof LockOutput.Granted);
        if (outcome.held()) {
            return ((LockOutput.Granted) outcome.last().output()).token();
        }
        Entry<LockInput, LockOutput> last = outcome.last();
        throw Failure.of("POST /locks/" + lock + " every 0.1 s on "
                        + nodes.stream().map(Node::name).toList())
                .expected("200 within " + within.toSeconds() + " s, once the holder's lease could have run out")
                .found(String.valueOf(last))
                .hint(
                        "The majority never granted the lock of a holder whose lease ran out.",
                        "The new leader must expire leases (after its 1 s grace) and release their locks.",
                        "Lease deadlines come from the stamps of committed grant and keepalive entries.")
                .error();
    }
}
