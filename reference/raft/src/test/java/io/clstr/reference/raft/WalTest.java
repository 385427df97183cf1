package io.clstr.reference.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log keeps every entry's index, term, stamp and command across a restart, cuts a
 * torn tail, and starts after its base once compacted, whatever moment a crash comes.
 */
class WalTest {

    @TempDir
    Path dir;

    @Test
    void entriesComeBackWithTheirStampsAfterAGracefulStop() throws Exception {
        Path file = dir.resolve("raft-log.wal");
        Wal.Recovery first = Wal.open(file, null);
        first.wal()
                .append(List.of(
                        LogEntry.noop(1, 1, 1_000),
                        new LogEntry(2, 1, 1_005, new byte[] {7, 8}),
                        new LogEntry(3, 2, 2_000, new byte[] {9})))
                .get();
        first.wal().close();

        Wal.Recovery again = Wal.open(file, null);
        List<LogEntry> entries = again.entries();
        assertEquals(3, entries.size());
        assertTrue(again.cleanShutdown());
        assertTrue(entries.get(0).isNoop());
        assertEquals(1_005, entries.get(1).stamp());
        assertArrayEquals(new byte[] {7, 8}, entries.get(1).command());
        assertEquals(2, entries.get(2).term());
        assertEquals(2_000, entries.get(2).stamp());
        again.wal().close();
    }

    @Test
    void aTornTailIsCutAndTheEntriesBeforeItKept() throws Exception {
        Path file = dir.resolve("raft-log.wal");
        Wal.Recovery first = Wal.open(file, null);
        first.wal().append(List.of(new LogEntry(1, 1, 10, new byte[] {1}))).get();
        first.wal().append(List.of(new LogEntry(2, 1, 20, new byte[] {2}))).get();
        first.wal().close();
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 12); // the close marker and part of entry 2
        } catch (IOException e) {
            throw new AssertionError(e);
        }

        Wal.Recovery again = Wal.open(file, null);
        assertEquals(1, again.entries().size());
        assertEquals(10, again.entries().get(0).stamp());
        assertTrue(again.discardedBytes() > 0);
        again.wal().close();
    }

    @Test
    void aCompactedLogStartsAfterItsBaseAndTakesNewEntries() throws Exception {
        Path file = dir.resolve("raft-log.wal");
        Wal first = compactedLog(file, 6, 1, 4);
        first.append(List.of(new LogEntry(7, 2, 70, new byte[] {7}))).get();
        first.close();

        Wal.Recovery again = Wal.open(file, null);
        assertEquals(new Wal.Base(4, 1, 40), again.base());
        assertEquals(List.of(5L, 6L, 7L), indexes(again.entries()));
        assertEquals(7, again.lastIndex());
        assertEquals(2, again.entries().get(2).term());
        assertTrue(again.cleanShutdown());
        // after a restart the compacted log still takes appends and replacements
        again.wal().append(List.of(new LogEntry(7, 3, 71, new byte[] {8}))).get();
        again.wal().close();
        Wal.Recovery third = Wal.open(file, null);
        assertEquals(List.of(5L, 6L, 7L), indexes(third.entries()));
        assertEquals(3, third.entries().get(2).term());
        third.wal().close();
    }

    @Test
    void aLogCompactedToNothingKeepsItsBase() throws Exception {
        Path file = dir.resolve("raft-log.wal");
        Wal first = compactedLog(file, 3, 2, 3);
        Path crash = crashImage(file);
        first.close();

        Wal.Recovery again = Wal.open(crash, null);
        assertEquals(new Wal.Base(3, 2, 30), again.base());
        assertTrue(again.entries().isEmpty());
        assertFalse(again.cleanShutdown());
        again.wal().close();
    }

    @Test
    void appendsQueuedAroundACompactionAllReachTheNewFile() throws Exception {
        Path file = dir.resolve("raft-log.wal");
        Wal.Recovery first = Wal.open(file, null);
        // submitted together: the writer may take them in one batch with the rewrite in the middle
        CompletableFuture<Void> before = first.wal().append(entries(1, 4, 1));
        CompletableFuture<Void> compaction = first.wal().compact(new Wal.Base(2, 1, 20), entries(3, 4, 1));
        CompletableFuture<Void> after = first.wal().append(entries(5, 6, 1));
        CompletableFuture.allOf(before, compaction, after).get();
        Path crash = crashImage(file);
        first.wal().close();

        Wal.Recovery again = Wal.open(crash, null);
        assertEquals(2, again.base().index());
        assertEquals(List.of(3L, 4L, 5L, 6L), indexes(again.entries()));
        again.wal().close();
    }

    @Test
    void aCrashDuringCompactionLeavesTheOldLogWhole() throws Exception {
        Path file = dir.resolve("raft-log.wal");
        Wal.Recovery first = Wal.open(file, null);
        first.wal().append(entries(1, 6, 1)).get();
        first.wal().close();
        // the compaction's temporary file, cut short by the crash before its rename
        Path temp = dir.resolve("raft-log.wal.tmp");
        Files.write(temp, new byte[] {0, 0, 0, 25, 1, 2, 3});

        Wal.Recovery again = Wal.open(file, null);
        assertEquals(Wal.Base.NONE, again.base());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), indexes(again.entries()));
        assertFalse(Files.exists(temp));
        again.wal().close();
    }

    @Test
    void aTornTailAfterTheBaseIsCut() throws Exception {
        Path file = dir.resolve("raft-log.wal");
        compactedLog(file, 4, 1, 2).close();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 12); // the close marker and part of entry 4
        }

        Wal.Recovery again = Wal.open(file, null);
        assertEquals(2, again.base().index());
        assertEquals(List.of(3L), indexes(again.entries()));
        assertTrue(again.discardedBytes() > 0);
        again.wal().close();
    }

    /** Entries {@code from} to {@code to} of {@code term}, each stamped ten times its index, its command the index as text. */
    static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> result = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            result.add(new LogEntry(i, term, i * 10, Long.toString(i).getBytes(StandardCharsets.US_ASCII)));
        }
        return result;
    }

    static List<Long> indexes(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::index).toList();
    }

    /** A log that held entries 1 to {@code last} of {@code term}, compacted through {@code base}; still open. */
    private static Wal compactedLog(Path file, long last, long term, long base) throws Exception {
        Wal wal = Wal.open(file, null).wal();
        wal.append(entries(1, last, term)).get();
        wal.compact(new Wal.Base(base, term, base * 10), entries(base + 1, last, term))
                .get();
        return wal;
    }

    /** What a SIGKILL now would leave: a copy of the file as it is on disk (every acknowledged write is). */
    private Path crashImage(Path file) throws IOException {
        Path copy = dir.resolve("crash-" + System.nanoTime()).resolve(file.getFileName());
        Files.createDirectories(copy.getParent());
        return Files.copy(file, copy);
    }
}
