package io.clstr.reference.raft;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;

/**
 * The write-ahead log: the Raft log on disk, one file of checksummed records, appended by one
 * writer thread with group commit.
 *
 * <p>Record layout: {@code [bodyLength:4][crc32c(body):4][body]}, where body is
 * {@code [kind:1]} followed, for an entry, by {@code [index:8][term:8][stamp:8][command...]}. A graceful
 * stop appends a close marker. An entry whose index is not past the current last index replaces
 * the suffix from that index on: that is how a follower's conflicting entries are truncated
 * without rewriting the file (the replacing record is always written in the same batch as the
 * truncation, and nothing was acknowledged for the replaced entries).
 *
 * <p>Compaction: a log that starts after a snapshot begins with a base record,
 * {@code [kind:1][index:8][term:8][stamp:8]}, naming the snapshot's last included entry; its entries
 * start at the next index. {@link #compact} writes such a file whole (base, then the entries kept)
 * and swaps it in atomically (temp file, fsync, rename, directory fsync), so a crash leaves the old
 * file or the new one. A file without a base record starts at index 1.
 *
 * <p>Durability: callers submit records and get a future that completes only after a
 * {@link FileChannel#force(boolean)} covering them. Submissions that arrive while a force runs
 * are written together and share the next force (group commit), so 50 concurrent writers cost a
 * handful of fsyncs, not 50.
 */
final class Wal implements AutoCloseable {

    /** What replay found on disk: the entries after {@code base}, in order. */
    record Recovery(Wal wal, Base base, List<LogEntry> entries, boolean cleanShutdown, long discardedBytes) {

        /** The index of the last entry found, or the base's when there is none. */
        long lastIndex() {
            return base.index() + entries.size();
        }
    }

    /** The entry a compacted log starts after: a snapshot's last included index, term and stamp. */
    record Base(long index, long term, long stamp) {
        static final Base NONE = new Base(0, 0, 0);
    }

    private static final byte KIND_ENTRY = 1;
    private static final byte KIND_CLOSE = 2;
    private static final byte KIND_BASE = 3;
    private static final int HEADER_BYTES = 8;
    private static final int MAX_BODY_BYTES = 256 << 20;
    /** Size of the user-space buffer of the {@code ack-before-sync} bug. */
    private static final int UNSYNCED_BUFFER_BYTES = 1 << 20;

    private enum OpKind {
        APPEND,
        /** The whole file's new content: it replaces the file. */
        REWRITE,
        CLOSE
    }

    private record Op(long seq, byte[] bytes, OpKind kind) {}

    private final Path file;
    /** The open file; replaced by the writer thread when it rewrites the file. */
    private FileChannel channel;

    private final boolean ackBeforeSync;
    private final Object lock = new Object();
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private final ByteArrayOutputStream unsynced = new ByteArrayOutputStream();
    private final Thread writer;
    private long submittedSeq;
    private long durableSeq;
    private boolean closing;
    private IOException failure;

    private Wal(Path file, FileChannel channel, RaftBug bug) {
        this.file = file;
        this.channel = channel;
        this.ackBeforeSync = bug == RaftBug.ACK_BEFORE_SYNC;
        this.writer = new Thread(this::writeLoop, "wal-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the log at {@code file}, replays it and starts the writer. A
     * temporary file left by a crash during {@link #compact} is deleted: the file it was to replace
     * is still whole.
     */
    static Recovery open(Path file, RaftBug bug) throws IOException {
        Files.deleteIfExists(temporaryFile(file));
        boolean existed = Files.exists(file);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (!existed) {
                channel.force(true);
                Fsync.directory(file.getParent());
            }
            Replay replay = replay(channel, bug);
            long size = channel.size();
            if (replay.validEnd < size) {
                channel.truncate(replay.validEnd);
                channel.force(true);
            }
            channel.position(replay.validEnd);
            Wal wal = new Wal(file, channel, bug);
            wal.writer.start();
            return new Recovery(wal, replay.base, replay.entries, replay.cleanShutdown, size - replay.validEnd);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Queues entries for the log. The returned future completes once they (and everything
     * submitted before them) are on disk, or fails if the log cannot be written.
     */
    CompletableFuture<Void> append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return barrier();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeEntries(bytes, entries);
        return submit(bytes.toByteArray(), OpKind.APPEND);
    }

    /**
     * Replaces the log on disk with one that starts after {@code base} and holds {@code kept}
     * (which must follow it without a gap). The caller must pass the whole log as it stands after
     * every record submitted before this call, since the new file replaces all of them. The
     * future completes once the new file is in place and durable.
     */
    CompletableFuture<Void> compact(Base base, List<LogEntry> kept) {
        for (int i = 0; i < kept.size(); i++) {
            if (kept.get(i).index() != base.index() + 1 + i) {
                throw new IllegalArgumentException("entries kept after index " + base.index()
                        + " are not contiguous at " + kept.get(i).index());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + 8);
        body.put(KIND_BASE).putLong(base.index()).putLong(base.term()).putLong(base.stamp());
        writeRecord(bytes, body.array());
        writeEntries(bytes, kept);
        return submit(bytes.toByteArray(), OpKind.REWRITE);
    }

    /** A future that completes once everything submitted so far is on disk. */
    CompletableFuture<Void> barrier() {
        synchronized (lock) {
            return whenDurable(submittedSeq);
        }
    }

    /** Writes a close marker, syncs, and stops the writer. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<Void> done;
        synchronized (lock) {
            if (closing) {
                done = null;
            } else {
                ByteArrayOutputStream marker = new ByteArrayOutputStream();
                writeRecord(marker, new byte[] {KIND_CLOSE});
                done = enqueue(marker.toByteArray(), OpKind.CLOSE);
                closing = true;
            }
        }
        try {
            if (done != null) {
                done.get(5, TimeUnit.SECONDS);
            }
            writer.join(5_000);
        } catch (ExecutionException | TimeoutException e) {
            Log.info("wal: closing %s failed: %s", file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<Void> submit(byte[] bytes, OpKind kind) {
        synchronized (lock) {
            if (closing) {
                return CompletableFuture.failedFuture(new IOException("the log is closed"));
            }
            return enqueue(bytes, kind);
        }
    }

    private CompletableFuture<Void> enqueue(byte[] bytes, OpKind kind) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        long seq = ++submittedSeq;
        queue.add(new Op(seq, bytes, kind));
        lock.notifyAll();
        return whenDurable(seq);
    }

    private CompletableFuture<Void> whenDurable(long seq) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (seq <= durableSeq) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        waiters.computeIfAbsent(seq, s -> new ArrayList<>()).add(future);
        return future;
    }

    private void writeLoop() {
        List<Op> batch = new ArrayList<>();
        while (true) {
            synchronized (lock) {
                while (queue.isEmpty()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                batch.addAll(queue);
                queue.clear();
            }
            boolean close = batch.get(batch.size() - 1).kind() == OpKind.CLOSE;
            long lastSeq = batch.get(batch.size() - 1).seq();
            IOException error = null;
            try {
                writeBatch(batch, close);
            } catch (IOException e) {
                error = e;
            } catch (RuntimeException e) {
                error = new IOException("write failed", e);
            }
            batch.clear();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            synchronized (lock) {
                if (error != null) {
                    failure = error;
                    for (List<CompletableFuture<Void>> futures : waiters.values()) {
                        done.addAll(futures);
                    }
                    waiters.clear();
                } else {
                    durableSeq = lastSeq;
                    Map<Long, List<CompletableFuture<Void>>> ready = waiters.headMap(lastSeq, true);
                    for (List<CompletableFuture<Void>> futures : ready.values()) {
                        done.addAll(futures);
                    }
                    ready.clear();
                }
            }
            for (CompletableFuture<Void> future : done) {
                if (error == null) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(error);
                }
            }
            if (error != null) {
                Log.info("wal: write to %s failed, no further writes are accepted: %s", file, error);
            }
            if (close || error != null) {
                closeChannel();
                return;
            }
        }
    }

    private void writeBatch(List<Op> batch, boolean close) throws IOException {
        int rewrite = -1;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).kind() == OpKind.REWRITE) {
                rewrite = i;
            }
        }
        if (rewrite >= 0) {
            // The last rewrite holds the whole log as it stood after every op before it (see
            // compact), so those ops need no writing of their own: they are durable once it is.
            rewrite(batch.get(rewrite).bytes());
            batch = batch.subList(rewrite + 1, batch.size());
            if (batch.isEmpty()) {
                return;
            }
        }
        if (ackBeforeSync) {
            // BUG ack-before-sync: the records only reach a user-space buffer, and the caller is
            // acknowledged at once. The buffer goes to the file when it fills up or at a graceful
            // stop; a SIGKILL loses whatever it holds.
            for (Op op : batch) {
                unsynced.write(op.bytes());
            }
            if (unsynced.size() >= UNSYNCED_BUFFER_BYTES || close) {
                writeFully(ByteBuffer.wrap(unsynced.toByteArray()));
                unsynced.reset();
                if (close) {
                    channel.force(false);
                }
            }
            return;
        }
        int total = 0;
        for (Op op : batch) {
            total += op.bytes().length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        for (Op op : batch) {
            buffer.put(op.bytes());
        }
        buffer.flip();
        writeFully(buffer);
        channel.force(false);
    }

    /** Swaps in a new file holding {@code content} (temp file, fsync, rename, directory fsync); later appends go to it. */
    private void rewrite(byte[] content) throws IOException {
        // What the ack-before-sync buffer held is part of the new content (the whole log).
        unsynced.reset();
        Fsync.replaceAtomically(file, content);
        FileChannel old = channel;
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.position(channel.size());
        old.close();
    }

    /** Where {@link Fsync#replaceAtomically} writes before its rename. */
    private static Path temporaryFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.info("wal: closing %s: %s", file, e.getMessage());
        }
    }

    private static void writeEntries(ByteArrayOutputStream out, List<LogEntry> entries) {
        for (LogEntry entry : entries) {
            byte[] command = entry.command();
            ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + 8 + command.length);
            body.put(KIND_ENTRY)
                    .putLong(entry.index())
                    .putLong(entry.term())
                    .putLong(entry.stamp())
                    .put(command);
            writeRecord(out, body.array());
        }
    }

    private static void writeRecord(ByteArrayOutputStream out, byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(body.length).putInt((int) crc.getValue());
        out.writeBytes(header.array());
        out.writeBytes(body);
    }

    private record RawRecord(long start, long end, byte[] body) {}

    private record Replay(Base base, List<LogEntry> entries, long validEnd, boolean cleanShutdown) {}

    private static Replay replay(FileChannel channel, RaftBug bug) throws IOException {
        long size = channel.size();
        channel.position(0);
        List<RawRecord> records = new ArrayList<>();
        InputStream stream = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        DataInputStream in = new DataInputStream(stream);
        long position = 0;
        while (position + HEADER_BYTES <= size) {
            int length;
            int checksum;
            try {
                length = in.readInt();
                checksum = in.readInt();
            } catch (EOFException e) {
                break;
            }
            if (length <= 0 || length > MAX_BODY_BYTES || position + HEADER_BYTES + length > size) {
                break; // torn or garbage tail
            }
            byte[] body = new byte[length];
            try {
                in.readFully(body);
            } catch (EOFException e) {
                break;
            }
            CRC32C crc = new CRC32C();
            crc.update(body);
            if ((int) crc.getValue() != checksum) {
                break; // torn write: the tail of the last batch never fully reached the disk
            }
            long end = position + HEADER_BYTES + length;
            records.add(new RawRecord(position, end, body));
            position = end;
        }
        if (bug == RaftBug.REPLAY_DROPS_LAST_ENTRY && !records.isEmpty()) {
            // BUG replay-drops-last-entry: "the last record may be half-written", so it is always
            // dropped, even though the checksum above already proved it complete.
            records.remove(records.size() - 1);
        }
        Base base = Base.NONE;
        List<LogEntry> entries = new ArrayList<>();
        long validEnd = 0;
        boolean clean = false;
        for (RawRecord record : records) {
            ByteBuffer body = ByteBuffer.wrap(record.body());
            byte kind = body.get();
            if (kind == KIND_CLOSE && body.remaining() == 0) {
                clean = true;
            } else if (kind == KIND_BASE && body.remaining() == 24 && record.start() == 0) {
                base = new Base(body.getLong(), body.getLong(), body.getLong());
            } else if (kind == KIND_ENTRY && body.remaining() >= 24) {
                long index = body.getLong();
                long term = body.getLong();
                long stamp = body.getLong();
                byte[] command = new byte[body.remaining()];
                body.get(command);
                // Below the base is as untrustworthy as a gap: a compacted log never rewrites its prefix.
                if (index <= base.index() || index > base.index() + entries.size() + 1) {
                    break; // a gap: nothing after it can be trusted
                }
                while (base.index() + entries.size() >= index) {
                    entries.remove(entries.size() - 1);
                }
                entries.add(new LogEntry(index, term, stamp, command));
                clean = false;
            } else {
                break;
            }
            validEnd = record.end();
        }
        return new Replay(base, entries, validEnd, clean);
    }
}
