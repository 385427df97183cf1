package io.clstr.reference.lock;

import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.Config;
import io.clstr.reference.raft.Log;
import io.clstr.reference.raft.RaftNode;
import io.clstr.reference.raft.Replica;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One node, assembled: the shared Raft core (log and term in {@code DATA_DIR}) applying to the
 * {@link LockMachine}, the leader's timer (grace, then expiry), and the HTTP API.
 */
final class LockServer implements AutoCloseable {

    /** How often the leader looks for deadlines that have passed. */
    private static final long TICK_MILLIS = 100;

    private final Replica replica;
    private final LockMachine machine;
    private final HttpApi api;
    private final BugSwitch<Bug> bugs;
    private final ScheduledExecutorService timer;
    private CompletableFuture<Object> proposing = CompletableFuture.completedFuture(null);
    private boolean closed;

    private LockServer(
            Replica replica, LockMachine machine, HttpApi api, BugSwitch<Bug> bugs, ScheduledExecutorService timer) {
        this.replica = replica;
        this.machine = machine;
        this.api = api;
        this.bugs = bugs;
        this.timer = timer;
    }

    static LockServer start(Config config, BugSwitch<Bug> bugs) throws IOException {
        LockMachine machine = new LockMachine(bugs, config.addr());
        Replica replica = Replica.open(
                config, bugs.raftBug(), machine, bytes -> Command.decode(bytes).describe());
        machine.restoredThrough(replica.recoveredLastIndex());
        HttpApi api = new HttpApi(config, replica, machine, bugs);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "expiry");
            t.setDaemon(true);
            return t;
        });
        LockServer server = new LockServer(replica, machine, api, bugs, timer);
        try {
            replica.start();
            api.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        timer.scheduleWithFixedDelay(server::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return server;
    }

    private void tick() {
        try {
            expire();
        } catch (RuntimeException e) {
            Log.info("expiry tick failed: %s", e);
        }
    }

    /**
     * Time-based changes go through the log, and only the leader starts them, one entry at a time:
     * its first act in a term is a GRACE entry that gives every lease at least 1 s more (clients
     * could not reach a leader during the failover); once that entry is applied, it proposes an
     * EXPIRE entry whenever a key's or a lease's deadline has passed on its clock. Followers run no
     * timer that changes state.
     */
    private void expire() {
        long now = System.currentTimeMillis();
        if (bugs.on(Bug.FOLLOWER_EXPIRY_TIMERS)) {
            machine.expireKeysAt(now); // BUG follower-expiry-timers: every node, by its own clock, no entry.
        }
        RaftNode.ClusterInfo info = replica.node().clusterInfo();
        if (info.role() != RaftNode.Role.LEADER || !proposing.isDone()) {
            return;
        }
        if (bugs.on(Bug.EXPIRY_IN_LEADER_MEMORY)) {
            api.expireRemembered(now);
        }
        // BUG no-leader-grace: the new leader expires at once.
        if (machine.graceTerm() != info.term() && !bugs.on(Bug.NO_LEADER_GRACE)) {
            proposing = api.propose(Command.grace());
        } else if (machine.nextDeadline() <= now) {
            proposing = api.propose(Command.expire());
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
        replica.close();
    }
}
