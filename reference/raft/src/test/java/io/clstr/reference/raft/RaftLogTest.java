package io.clstr.reference.raft;

import static io.clstr.reference.raft.WalTest.entries;
import static io.clstr.reference.raft.WalTest.indexes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log's index arithmetic on both sides of the snapshot point, and its recovery from a WAL and
 * a snapshot file left at every step of a compaction.
 */
class RaftLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Closes the log's files, as a crash or a stop would leave them. */
    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        open.clear();
    }

    @Test
    void indexesAcrossTheSnapshotPoint() throws Exception {
        RaftLog log = logWith(10, 2);
        log.compactThrough(snapshot(6, 2)).get();

        assertEquals(6, log.snapshotIndex());
        assertEquals(7, log.firstIndex());
        assertEquals(10, log.lastIndex());
        assertEquals(2, log.termAt(6), "the snapshot answers for its last included index");
        assertEquals(-1, log.termAt(11));
        assertThrows(IllegalArgumentException.class, () -> log.termAt(5));
        assertThrows(IllegalArgumentException.class, () -> log.get(6));
        assertThrows(IllegalArgumentException.class, () -> log.get(11));
        assertEquals(7, log.get(7).index());
        assertThrows(IllegalArgumentException.class, () -> log.slice(6, 100, 1 << 20));
        assertEquals(List.of(7L, 8L, 9L, 10L), indexes(log.slice(7, 100, 1 << 20)));
        assertEquals(List.of(7L, 8L, 9L, 10L), indexes(log.all()));
        assertEquals(7, log.firstIndexOfTerm(2, 10), "the search stops at the first entry held");
        assertThrows(IllegalArgumentException.class, () -> log.replaceFrom(entries(6, 7, 3)));

        log.replaceFrom(entries(9, 9, 3)).get();
        assertEquals(9, log.lastIndex());
        assertEquals(3, log.lastTerm());
        assertThrows(IllegalArgumentException.class, () -> log.append(new LogEntry(11, 3, 0, new byte[] {1})));
        log.append(new LogEntry(10, 3, 100, new byte[] {1})).get();
        assertEquals(10, log.lastIndex());
    }

    @Test
    void aLogCompactedThroughItsLastEntryAnswersFromTheSnapshot() throws Exception {
        RaftLog log = logWith(4, 1);
        log.compactThrough(new Snapshot(4, 1, 444, null, new byte[0])).get();

        assertEquals(4, log.lastIndex());
        assertEquals(1, log.lastTerm());
        assertEquals(444, log.lastStamp(), "new entries are stamped from the snapshot's last one");
        assertTrue(log.all().isEmpty());
        assertTrue(log.slice(5, 10, 1 << 20).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> log.compactThrough(snapshot(4, 1)));
        assertThrows(IllegalArgumentException.class, () -> log.compactThrough(snapshot(5, 1)));
    }

    @Test
    void anInstalledSnapshotKeepsTheEntriesAfterAMatchingEntry() throws Exception {
        RaftLog log = logWith(8, 2);
        RaftLog.Installed installed = log.installSnapshot(snapshot(5, 2));
        installed.durable().get();
        assertTrue(installed.keptSuffix());
        assertEquals(List.of(6L, 7L, 8L), indexes(log.all()));
    }

    @Test
    void anInstalledSnapshotReplacesALogThatDisagreesOrEndsBeforeIt() throws Exception {
        RaftLog log = logWith(8, 1);
        RaftLog.Installed conflicting = log.installSnapshot(snapshot(5, 2));
        conflicting.durable().get();
        assertFalse(conflicting.keptSuffix(), "entry 5 is of term 1, the snapshot's of term 2");
        assertTrue(log.all().isEmpty());
        assertEquals(5, log.lastIndex());

        RaftLog.Installed beyond = log.installSnapshot(snapshot(20, 3));
        beyond.durable().get();
        assertFalse(beyond.keptSuffix());
        assertEquals(20, log.lastIndex());
        assertEquals(3, log.lastTerm());
        assertThrows(IllegalArgumentException.class, () -> log.installSnapshot(snapshot(20, 3)));
    }

    @Test
    void recoveryAfterACompactionFindsTheLogAfterTheSnapshot() throws Exception {
        RaftLog log = logWith(10, 2);
        Snapshot snapshot = snapshot(6, 2);
        writeAndCompact(log, snapshot);
        closeAll();

        RaftLog again = recover();
        assertEquals(6, again.snapshotIndex());
        assertArrayEquals(snapshot.data(), again.snapshot().data());
        assertEquals(List.of(7L, 8L, 9L, 10L), indexes(again.all()));
    }

    @Test
    void aCrashBetweenTheSnapshotAndTheCompactionIsFinishedAtRecovery() throws Exception {
        RaftLog log = logWith(10, 2);
        log.saveSnapshot(snapshot(6, 2)).get(); // durable; the crash comes before compactThrough
        closeAll();

        RaftLog again = recover();
        assertEquals(6, again.snapshotIndex());
        assertEquals(List.of(7L, 8L, 9L, 10L), indexes(again.all()));
        closeAll();
        Wal.Recovery onDisk = Wal.open(dir.resolve(Replica.LOG_FILE), null);
        open.add(onDisk.wal());
        assertEquals(6, onDisk.base().index(), "recovery compacted the WAL on disk too");
        assertEquals(List.of(7L, 8L, 9L, 10L), indexes(onDisk.entries()));
    }

    @Test
    void aCrashWhileWritingTheSnapshotKeepsTheOldOne() throws Exception {
        RaftLog log = logWith(10, 2);
        writeAndCompact(log, snapshot(4, 2));
        closeAll();
        // the next snapshot's temporary file, cut short before its rename
        Files.writeString(dir.resolve(Replica.SNAPSHOT_FILE + ".tmp"), "{\"last-included-index\": 8, \"da");

        RaftLog again = recover();
        assertEquals(4, again.snapshotIndex());
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), indexes(again.all()));
        assertFalse(Files.exists(dir.resolve(Replica.SNAPSHOT_FILE + ".tmp")));
    }

    @Test
    void aCrashAfterInstallingASnapshotPastTheLogDropsTheOldLog() throws Exception {
        RaftLog log = logWith(3, 1);
        log.saveSnapshot(snapshot(9, 3)).get(); // the leader's, durable; the crash comes before installSnapshot
        closeAll();

        RaftLog again = recover();
        assertEquals(9, again.snapshotIndex());
        assertEquals(9, again.lastIndex());
        assertEquals(3, again.lastTerm());
        assertTrue(again.all().isEmpty());
    }

    @Test
    void aCrashAfterInstallingAConflictingSnapshotDropsTheConflictingEntries() throws Exception {
        RaftLog log = logWith(8, 1);
        log.saveSnapshot(snapshot(5, 2)).get(); // entry 5 here is of term 1
        closeAll();

        RaftLog again = recover();
        assertEquals(5, again.lastIndex());
        assertTrue(again.all().isEmpty());
    }

    @Test
    void aLogThatStartsAfterTheSnapshotIsRefused() throws Exception {
        RaftLog log = logWith(8, 1);
        log.compactThrough(snapshot(6, 1)).get(); // compacted without the snapshot ever being written
        closeAll();

        IOException refused = assertThrows(IOException.class, this::recover);
        assertTrue(refused.getMessage().contains("starts after index 6"), refused.getMessage());
    }

    /** A log in {@link #dir} holding entries 1 to {@code last} of {@code term}, all durable. */
    private RaftLog logWith(long last, long term) throws Exception {
        RaftLog log = recover();
        for (LogEntry entry : entries(1, last, term)) {
            log.append(entry);
        }
        log.durable().get();
        return log;
    }

    /** What a node does after it applied through {@code snapshot}'s index: write it, then compact. */
    private static void writeAndCompact(RaftLog log, Snapshot snapshot) throws Exception {
        log.saveSnapshot(snapshot).get();
        log.compactThrough(snapshot).get();
    }

    /** Opens the snapshot and the WAL in {@link #dir} as a restart would. */
    private RaftLog recover() throws IOException {
        SnapshotStore.Loaded loaded = SnapshotStore.open(dir.resolve(Replica.SNAPSHOT_FILE), JSON);
        open.add(loaded.store());
        Wal.Recovery recovery = Wal.open(dir.resolve(Replica.LOG_FILE), null);
        open.add(0, recovery.wal());
        return RaftLog.recover(recovery, loaded.store(), loaded.snapshot());
    }

    private static Snapshot snapshot(long index, long term) {
        return new Snapshot(index, term, index * 10, null, ("state through " + index).getBytes(StandardCharsets.UTF_8));
    }
}
