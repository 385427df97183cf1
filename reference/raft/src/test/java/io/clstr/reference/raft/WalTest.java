package io.clstr.reference.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-ahead log keeps every entry's index, term, stamp and command across a restart, and cuts a torn tail. */
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
}
