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
 * <p>Durability: callers submit records and get a future that completes only after a
 * {@link FileChannel#force(boolean)} covering them. Submissions that arrive while a force runs
 * are written together and share the next force (group commit), so 50 concurrent writers cost a
 * handful of fsyncs, not 50.
 */
final class Wal implements AutoCloseable {

    /** What replay found on disk. */
    record Recovery(Wal wal, List<LogEntry> entries, boolean cleanShutdown, long discardedBytes) {}

    private static final byte KIND_ENTRY = 1;
    private static final byte KIND_CLOSE = 2;
    private static final int HEADER_BYTES = 8;
    private static final int MAX_BODY_BYTES = 256 << 20;
    /** Size of the user-space buffer of the {@code ack-before-sync} bug. */
    private static final int UNSYNCED_BUFFER_BYTES = 1 << 20;

    private record Op(long seq, byte[] bytes, boolean close) {}

    private final Path file;
    private final FileChannel channel;
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

    /** Opens (creating if needed) the log at {@code file}, replays it and starts the writer. */
    static Recovery open(Path file, RaftBug bug) throws IOException {
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
            return new Recovery(wal, replay.entries, replay.cleanShutdown, size - replay.validEnd);
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
        for (LogEntry entry : entries) {
            byte[] command = entry.command();
            ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + 8 + command.length);
            body.put(KIND_ENTRY)
                    .putLong(entry.index())
                    .putLong(entry.term())
                    .putLong(entry.stamp())
                    .put(command);
            writeRecord(bytes, body.array());
        }
        return submit(bytes.toByteArray(), false);
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
                done = enqueue(marker.toByteArray(), true);
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

    private CompletableFuture<Void> submit(byte[] bytes, boolean close) {
        synchronized (lock) {
            if (closing) {
                return CompletableFuture.failedFuture(new IOException("the log is closed"));
            }
            return enqueue(bytes, close);
        }
    }

    private CompletableFuture<Void> enqueue(byte[] bytes, boolean close) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        long seq = ++submittedSeq;
        queue.add(new Op(seq, bytes, close));
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
            boolean close = batch.get(batch.size() - 1).close();
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

    private static void writeRecord(ByteArrayOutputStream out, byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(body.length).putInt((int) crc.getValue());
        out.writeBytes(header.array());
        out.writeBytes(body);
    }

    private record RawRecord(long start, long end, byte[] body) {}

    private record Replay(List<LogEntry> entries, long validEnd, boolean cleanShutdown) {}

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
        List<LogEntry> entries = new ArrayList<>();
        long validEnd = 0;
        boolean clean = false;
        for (RawRecord record : records) {
            ByteBuffer body = ByteBuffer.wrap(record.body());
            byte kind = body.get();
            if (kind == KIND_CLOSE && body.remaining() == 0) {
                clean = true;
            } else if (kind == KIND_ENTRY && body.remaining() >= 24) {
                long index = body.getLong();
                long term = body.getLong();
                long stamp = body.getLong();
                byte[] command = new byte[body.remaining()];
                body.get(command);
                if (index < 1 || index > entries.size() + 1) {
                    break; // a gap: nothing after it can be trusted
                }
                while (entries.size() >= index) {
                    entries.remove(entries.size() - 1);
                }
                entries.add(new LogEntry(index, term, stamp, command));
                clean = false;
            } else {
                break;
            }
            validEnd = record.end();
        }
        return new Replay(entries, validEnd, clean);
    }
}
