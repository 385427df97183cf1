package io.clstr.reference.raft;

import static io.clstr.reference.raft.WalTest.entries;
import static io.clstr.reference.raft.WalTest.indexes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's snapshots: taken every N applied entries and the log compacted after them, loaded
 * first at a restart, and installed from a leader's InstallSnapshot (Raft §7) whether the
 * follower is behind, holds the snapshot's last entry, or is asked by a stale leader. Each bug of
 * the log-compaction stage is shown breaking the behaviour it is named for.
 */
class SnapshotNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Unused routes: a follower under test never sends, and a single node has no peers. */
    private static final List<String> PEERS = List.of("127.0.0.1:9", "127.0.0.1:10");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    // ---------------------------------------------------------------- InstallSnapshot

    @Test
    void aFollowerBehindTheSnapshotInstallsIt() throws Exception {
        Follower follower = follower(null, entries(1, 3, 1));
        Rpc.InstallSnapshotResponse answer =
                follower.node.onInstallSnapshot(install(2, 10, 2)).get(5, TimeUnit.SECONDS);

        assertEquals(2, answer.term());
        assertEquals(List.of("state through 10"), follower.machine.state);
        assertEquals(new RaftNode.SnapshotView(10, 2), follower.node.snapshotView());
        RaftNode.LogView log = follower.node.logView();
        assertTrue(log.entries().isEmpty());
        assertEquals(10, log.commitIndex());
        assertEquals(10, log.lastApplied());
        closeAll();
        // durable: a restart finds the snapshot and a log that starts after it
        SnapshotStore.Loaded onDisk = SnapshotStore.open(dir.resolve(Replica.SNAPSHOT_FILE), JSON);
        onDisk.store().close();
        assertEquals(10, onDisk.snapshot().index());
        assertEquals(2, onDisk.snapshot().term());
        Wal.Recovery wal = Wal.open(dir.resolve(Replica.LOG_FILE), null);
        wal.wal().close();
        assertEquals(10, wal.base().index());
        assertTrue(wal.entries().isEmpty());
    }

    @Test
    void aFollowerHoldingTheLastIncludedEntryKeepsWhatFollowsIt() throws Exception {
        Follower follower = follower(null, entries(1, 12, 2));
        follower.node.onInstallSnapshot(install(2, 10, 2)).get(5, TimeUnit.SECONDS);

        assertEquals(List.of(11L, 12L), indexes(follower.node.logView().entries()));
        assertEquals(List.of("state through 10"), follower.machine.state);
        assertEquals(10, follower.node.logView().lastApplied());
    }

    @Test
    void aFollowerWhoseEntryDisagreesDiscardsItsLog() throws Exception {
        Follower follower = follower(null, entries(1, 12, 1));
        follower.node.onInstallSnapshot(install(2, 10, 2)).get(5, TimeUnit.SECONDS);

        assertTrue(follower.node.logView().entries().isEmpty());
        assertEquals(new RaftNode.SnapshotView(10, 2), follower.node.snapshotView());
    }

    @Test
    void aStaleLeadersSnapshotIsRefusedWithTheNewerTerm() throws Exception {
        Follower follower = follower(null, entries(1, 3, 1));
        follower.state.save(5, null);
        Rpc.InstallSnapshotResponse answer =
                follower.node.onInstallSnapshot(install(3, 10, 2)).get(5, TimeUnit.SECONDS);

        assertEquals(5, answer.term());
        assertEquals(new RaftNode.SnapshotView(0, 0), follower.node.snapshotView());
        assertEquals(3, follower.node.logView().entries().size());
        assertTrue(follower.machine.state.isEmpty());
    }

    @Test
    void aSnapshotTheStateAlreadyCoversChangesNothing() throws Exception {
        Follower follower = follower(null, List.of());
        follower.node.onInstallSnapshot(install(2, 10, 2)).get(5, TimeUnit.SECONDS);
        follower.node.onInstallSnapshot(install(2, 6, 2)).get(5, TimeUnit.SECONDS);

        assertEquals(new RaftNode.SnapshotView(10, 2), follower.node.snapshotView());
        assertEquals(List.of("state through 10"), follower.machine.state);
    }

    @Test
    void appendEntriesFromInsideTheSnapshotAreMatchedFromItsEnd() throws Exception {
        Follower follower = follower(null, List.of());
        follower.node.onInstallSnapshot(install(2, 10, 2)).get(5, TimeUnit.SECONDS);
        // a leader that still thinks this node needs entries 9 on
        List<Rpc.Entry> wire = entries(9, 12, 2).stream().map(Rpc.Entry::of).toList();
        Rpc.AppendResponse answer = follower.node
                .onAppendEntries(new Rpc.AppendRequest(2, "leader", 8, 2, wire, 12))
                .get(5, TimeUnit.SECONDS);

        assertTrue(answer.success());
        assertEquals(List.of(11L, 12L), indexes(follower.node.logView().entries()));
        assertEquals(12, follower.node.logView().lastApplied());
        assertEquals(List.of("state through 10", "11", "12"), follower.machine.state);
    }

    @Test
    void bugInstallSnapshotIgnoredBeyondLogLeavesTheFollowerBehind() throws Exception {
        Follower follower = follower(RaftBug.INSTALL_SNAPSHOT_IGNORED_BEYOND_LOG, entries(1, 3, 1));
        Rpc.InstallSnapshotResponse answer =
                follower.node.onInstallSnapshot(install(2, 10, 2)).get(5, TimeUnit.SECONDS);

        assertEquals(2, answer.term(), "acknowledged as if installed");
        assertEquals(new RaftNode.SnapshotView(0, 0), follower.node.snapshotView());
        assertTrue(follower.machine.state.isEmpty());
    }

    // ---------------------------------------------------------------- local snapshots and restarts

    @Test
    void aSingleNodeSnapshotsEveryNEntriesAndRestartsFromTheSnapshot() throws Exception {
        Recorder machine = new Recorder();
        Replica replica = single(null, machine);
        writeAndAwaitSnapshot(replica, 12, 10); // the no-op of term 1, then 12 writes: 13 entries

        RaftNode.SnapshotView snapshot = replica.node().snapshotView();
        assertEquals(10, snapshot.lastIncludedIndex());
        assertEquals(1, snapshot.lastIncludedTerm());
        assertEquals(List.of(11L, 12L, 13L), indexes(replica.node().logView().entries()));
        replica.close();

        Recorder restarted = new Recorder();
        Replica again = single(null, restarted);
        assertEquals(13, again.recoveredLastIndex());
        again.start();
        await(
                () -> again.node().logView().lastApplied() >= 13,
                "the restarted node applies the log after the snapshot");
        assertEquals(12, restarted.state.size(), "nine writes from the snapshot, three from the log");
        assertEquals("w1", restarted.state.get(0));
        assertEquals("w12", restarted.state.get(11));
    }

    @Test
    void bugSnapshotLosesLastTermReportsTermZeroButKeepsItOnDisk() throws Exception {
        Replica replica = single(RaftBug.SNAPSHOT_LOSES_LAST_TERM, new Recorder());
        writeAndAwaitSnapshot(replica, 12, 10);

        assertEquals(new RaftNode.SnapshotView(10, 0), replica.node().snapshotView());
        replica.close();

        Replica again = single(null, new Recorder());
        assertEquals(13, again.recoveredLastIndex(), "no entry lost: the files hold the real term");
        assertEquals(new RaftNode.SnapshotView(10, 1), again.node().snapshotView());
    }

    @Test
    void theSnapshotIntervalComesFromTheEnvironment() {
        assertEquals(RaftNode.DEFAULT_SNAPSHOT_INTERVAL, RaftNode.snapshotInterval(Map.of()));
        assertEquals(50, RaftNode.snapshotInterval(Map.of(RaftNode.SNAPSHOT_INTERVAL_ENV, " 50 ")));
        assertEquals(0, RaftNode.snapshotInterval(Map.of(RaftNode.SNAPSHOT_INTERVAL_ENV, "0")));
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> RaftNode.snapshotInterval(Map.of(RaftNode.SNAPSHOT_INTERVAL_ENV, "-1")));
        assertTrue(refused.getMessage().startsWith(RaftNode.SNAPSHOT_INTERVAL_ENV + "=-1"), refused.getMessage());
    }

    // ---------------------------------------------------------------- fixtures

    /** A state machine that records each command as text; its snapshot is the list so far, one per line. */
    static final class Recorder implements StateMachine {
        final List<String> state = new ArrayList<>();

        @Override
        public Object apply(LogEntry entry) {
            state.add(new String(entry.command(), StandardCharsets.UTF_8));
            return null;
        }

        @Override
        public boolean snapshots() {
            return true;
        }

        @Override
        public byte[] snapshot() {
            return String.join("\n", state).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void restore(byte[] snapshot) {
            state.clear();
            String text = new String(snapshot, StandardCharsets.UTF_8);
            if (!text.isEmpty()) {
                state.addAll(List.of(text.split("\n")));
            }
        }
    }

    private record Follower(RaftNode node, RaftState state, Recorder machine) {}

    /** A follower of a five-node cluster in term 1 whose log holds {@code entries}; its timers never run. */
    private Follower follower(RaftBug bug, List<LogEntry> entries) throws IOException {
        RaftState state = RaftState.load(dir.resolve(Replica.STATE_FILE), JSON);
        state.save(1, null);
        SnapshotStore.Loaded snapshots = SnapshotStore.open(dir.resolve(Replica.SNAPSHOT_FILE), JSON);
        open.add(snapshots.store());
        Wal.Recovery wal = Wal.open(dir.resolve(Replica.LOG_FILE), bug);
        open.add(wal.wal());
        RaftLog log = RaftLog.recover(wal, snapshots.store(), snapshots.snapshot());
        for (LogEntry entry : entries) {
            log.append(entry);
        }
        PeerClient client = new PeerClient(4);
        open.add(client);
        Recorder machine = new Recorder();
        Config config = new Config("127.0.0.1:8", 8, PEERS, Map.of(), dir);
        RaftNode node = new RaftNode(config, bug, state, log, machine, client, JSON);
        open.add(node);
        return new Follower(node, state, machine);
    }

    /** A one-node cluster in {@link #dir}, snapshotting every 10 entries, recovered but not started. */
    private Replica single(RaftBug bug, Recorder machine) throws IOException {
        Config config = new Config("127.0.0.1:8", 8, List.of(), Map.of(), dir);
        Replica replica = Replica.open(config, bug, machine, bytes -> new String(bytes, StandardCharsets.UTF_8));
        replica.node().snapshotEvery(10);
        open.add(replica);
        return replica;
    }

    /** Starts {@code replica}, writes {@code count} commands and waits for the snapshot through {@code index}. */
    private static void writeAndAwaitSnapshot(Replica replica, int count, long index) throws Exception {
        replica.start();
        await(() -> replica.node().routing().leader(), "a single node elects itself");
        for (int i = 1; i <= count; i++) {
            replica.node().propose(("w" + i).getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        }
        await(
                () -> replica.node().snapshotView().lastIncludedIndex() == index,
                "the log is compacted through " + index);
    }

    private static Rpc.InstallSnapshotRequest install(long term, long index, long lastTerm) {
        byte[] data = ("state through " + index).getBytes(StandardCharsets.UTF_8);
        return new Rpc.InstallSnapshotRequest(term, "leader", index, lastTerm, index * 10, null, data);
    }

    /** Polls {@code condition} every 10 ms for up to 5 s. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
