package io.clstr.reference.queue;

import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.Config;
import io.clstr.reference.raft.RaftNode;
import io.clstr.reference.raft.Replica;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One node, assembled: the shared Raft core (log and term in {@code DATA_DIR}) applying to the
 * {@link QueueMachine}, the leader's expiry timer, and the HTTP API.
 */
final class QueueServer implements AutoCloseable {

    /** How often the leader looks for deliveries whose deadline has passed. */
    private static final long TICK_MILLIS = 50;

    private final Replica replica;
    private final HttpApi api;
    private final ScheduledExecutorService timer;
    private CompletableFuture<Object> expiring = CompletableFuture.completedFuture(null);
    private CompletableFuture<Object> moving = CompletableFuture.completedFuture(null);
    private final Deque<QueueMachine.Move> moves = new ArrayDeque<>();
    private boolean closed;

    private QueueServer(Replica replica, HttpApi api, ScheduledExecutorService timer) {
        this.replica = replica;
        this.api = api;
        this.timer = timer;
    }

    static QueueServer start(Config config, BugSwitch<Bug> bugs) throws IOException {
        QueueMachine machine = new QueueMachine(bugs, config.addr());
        Replica replica = Replica.open(
                config, bugs.raftBug(), machine, bytes -> Command.decode(bytes).describe());
        machine.restoredThrough(replica.recoveredLastIndex());
        HttpApi api = new HttpApi(config, replica, machine, bugs);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "expiry");
            t.setDaemon(true);
            return t;
        });
        QueueServer server = new QueueServer(replica, api, timer);
        try {
            replica.start();
            api.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        timer.scheduleWithFixedDelay(() -> server.expire(machine), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return server;
    }

    /**
     * Expiry goes through the log like every other change, and only the leader starts it: when a
     * deadline has passed on its clock it proposes an EXPIRE entry (one at a time), stamped with
     * its time, and applying that entry makes the message visible on every node. Followers run no
     * timer that changes state.
     */
    private void expire(QueueMachine machine) {
        RaftNode node = replica.node();
        boolean leader = node.routing().leader();
        if (expiring.isDone() && leader && machine.nextDeadline() <= System.currentTimeMillis()) {
            expiring = node.propose(Command.expire().encode());
        }
        // BUG move-in-two-entries: the leader sends one taken-out message on per tick; others drop theirs.
        moves.addAll(machine.takeMoves());
        if (!leader) {
            moves.clear();
        } else if (moving.isDone() && !moves.isEmpty()) {
            QueueMachine.Move move = moves.poll();
            moving = node.propose(
                    Command.send(move.deadLetterQueue(), move.body(), 0).encode());
        }
    }

    /** Graceful stop: no new requests, deferred writes flushed, then the log is synced and closed. */
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
