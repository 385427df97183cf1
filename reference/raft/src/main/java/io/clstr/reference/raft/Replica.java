package io.clstr.reference.raft;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One node's Raft machinery, assembled: its term and vote and its log recovered from
 * {@code DATA_DIR}, the {@link RaftNode} that applies committed entries to a state machine, the
 * client it reaches its peers with, and the HTTP endpoints peers and observers use. A reference
 * opens it, starts its own HTTP API (delegating {@link RaftEndpoints#serves} paths to
 * {@link #endpoints()}), then calls {@link #start()}.
 */
public final class Replica implements AutoCloseable {

    static final String LOG_FILE = "raft-log.wal";
    static final String STATE_FILE = "raft-state.json";
    static final String SNAPSHOT_FILE = "raft-snapshot.json";

    private final Wal wal;
    private final SnapshotStore snapshots;
    private final PeerClient client;
    private final RaftNode node;
    private final RaftEndpoints endpoints;
    private final long recoveredLastIndex;
    private boolean closed;

    private Replica(
            Wal wal,
            SnapshotStore snapshots,
            PeerClient client,
            RaftNode node,
            RaftEndpoints endpoints,
            long recoveredLastIndex) {
        this.wal = wal;
        this.snapshots = snapshots;
        this.client = client;
        this.node = node;
        this.endpoints = endpoints;
        this.recoveredLastIndex = recoveredLastIndex;
    }

    /**
     * Recovers the node's state from {@code config.dataDir()}: its term and vote, the latest
     * snapshot (loaded into {@code machine}) and the log after it; nothing runs until
     * {@link #start()}. Snapshots are taken every {@link RaftNode#SNAPSHOT_INTERVAL_ENV} applied
     * entries (500 by default) if {@code machine} can take them.
     *
     * @param bug      the Raft bug to switch on, or null
     * @param describe a command as {@code GET /log} shows it
     */
    public static Replica open(Config config, RaftBug bug, StateMachine machine, Function<byte[], String> describe)
            throws IOException {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        long snapshotInterval = RaftNode.snapshotInterval(System.getenv());
        RaftState state = RaftState.load(dataDir.resolve(STATE_FILE), json);
        SnapshotStore.Loaded loaded = SnapshotStore.open(dataDir.resolve(SNAPSHOT_FILE), json);
        Wal.Recovery recovery;
        RaftLog log;
        try {
            recovery = Wal.open(dataDir.resolve(LOG_FILE), bug);
        } catch (IOException | RuntimeException e) {
            loaded.store().close();
            throw e;
        }
        try {
            log = RaftLog.recover(recovery, loaded.store(), loaded.snapshot());
        } catch (IOException | RuntimeException e) {
            recovery.wal().close();
            loaded.store().close();
            throw e;
        }
        Log.info(
                "recovered term %d, vote %s, %s, %d log entries after it (%s%s)",
                state.currentTerm(),
                state.votedFor(),
                loaded.snapshot().isNone() ? "no snapshot" : "the " + loaded.snapshot(),
                log.lastIndex() - log.snapshotIndex(),
                recovery.cleanShutdown() ? "clean shutdown" : "no clean-shutdown marker",
                recovery.discardedBytes() > 0
                        ? ", discarded a torn tail of " + recovery.discardedBytes() + " bytes"
                        : "");
        warmUp(json);
        PeerClient client = new PeerClient(64);
        RaftNode node = new RaftNode(config, bug, state, log, machine, client, json);
        node.snapshotEvery(machine.snapshots() ? snapshotInterval : 0);
        node.recover();
        return new Replica(
                recovery.wal(),
                loaded.store(),
                client,
                node,
                new RaftEndpoints(node, client, json, describe),
                log.lastIndex());
    }

    /** Starts the election timer; a single-node cluster elects itself at once. */
    public void start() {
        node.start();
    }

    public RaftNode node() {
        return node;
    }

    public RaftEndpoints endpoints() {
        return endpoints;
    }

    /** The client this node reaches its peers with (one fresh connection per request). */
    public PeerClient peers() {
        return client;
    }

    /** The last log index found on disk at start (a snapshot's included): entries up to it were written before this run. */
    public long recoveredLastIndex() {
        return recoveredLastIndex;
    }

    /** Graceful stop: pending proposals fail, the log is synced and marked closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        node.close();
        client.close();
        snapshots.close();
        wal.close();
    }

    /**
     * Runs the JSON codecs once, so the first real RPCs do not pay for class loading and
     * reflection while the cluster elects its first leader (a slow first answer can make a new
     * leader miss its quorum window).
     */
    private static void warmUp(ObjectMapper json) throws IOException {
        Rpc.AppendRequest append =
                new Rpc.AppendRequest(1, "warm-up", 0, 0, List.of(new Rpc.Entry(1, 1, 1, new byte[] {1})), 0);
        json.readValue(json.writeValueAsBytes(append), Rpc.AppendRequest.class)
                .entriesOrEmpty()
                .get(0)
                .toLogEntry();
        json.readValue(json.writeValueAsBytes(new Rpc.AppendResponse(1, true, 0)), Rpc.AppendResponse.class);
        json.readValue(json.writeValueAsBytes(new Rpc.VoteRequest(1, "warm-up", 0, 0)), Rpc.VoteRequest.class);
        json.readValue(json.writeValueAsBytes(new Rpc.VoteResponse(1, true)), Rpc.VoteResponse.class);
        json.readValue(
                        json.writeValueAsBytes(Rpc.InstallSnapshotRequest.of(
                                1, "warm-up", new Snapshot(1, 1, 1, null, new byte[] {1}))),
                        Rpc.InstallSnapshotRequest.class)
                .toSnapshot();
        json.readValue(json.writeValueAsBytes(new Rpc.InstallSnapshotResponse(1)), Rpc.InstallSnapshotResponse.class);
    }
}
