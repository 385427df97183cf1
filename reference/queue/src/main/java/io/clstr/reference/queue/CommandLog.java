package io.clstr.reference.queue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The node's log on disk and the only way state changes: {@link #append} stamps a command with the
 * time, writes it, syncs it, applies it to the {@link QueueMachine} and only then answers. One
 * writer thread does all of that in order, a batch at a time (group commit: one
 * {@code FileChannel.force} for every command waiting). Records are {@code [length][CRC32C][JSON]};
 * a replay stops at the first torn or corrupt record and cuts the file there.
 */
final class CommandLog implements AutoCloseable {

    /** How long the {@code delete-not-synced} bug keeps deletes in memory before writing them. */
    private static final long DEFERRED_FLUSH_MILLIS = 2000;

    private static final int MAX_RECORD = 16 << 20;

    private record Pending(Command command, CompletableFuture<Outcome> answer) {}

    private final FileChannel channel;
    private final QueueMachine machine;
    private final Bugs bugs;
    private final ObjectMapper json;
    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final List<byte[]> deferred = new ArrayList<>();
    private long deferredSince;
    private long lastStamp;
    private volatile boolean closed;

    private CommandLog(FileChannel channel, QueueMachine machine, Bugs bugs, ObjectMapper json, long lastStamp) {
        this.channel = channel;
        this.machine = machine;
        this.bugs = bugs;
        this.json = json;
        this.lastStamp = lastStamp;
        this.writer = new Thread(this::write, "log-writer");
        writer.setDaemon(true);
    }

    /** Opens the log at {@code file}, replays it into {@code machine} and starts the writer. */
    static CommandLog open(Path file, QueueMachine machine, Bugs bugs) throws IOException {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long valid = 0;
        long lastStamp = 0;
        int replayed = 0;
        long replayTime = System.currentTimeMillis();
        ByteBuffer header = ByteBuffer.allocate(8);
        while (true) {
            header.clear();
            if (channel.read(header, valid) < 8) {
                break;
            }
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length <= 0 || length > MAX_RECORD || valid + 8 + length > channel.size()) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            channel.read(payload, valid + 8);
            if (crc(payload.array()) != crc) {
                break;
            }
            Command command = json.readValue(payload.array(), Command.class);
            if (bugs.on(Bug.RELATIVE_DEADLINES)
                    && (command.type() == Command.Type.RECEIVE || command.type() == Command.Type.VISIBILITY)) {
                command = command.stamped(Math.max(command.stamp(), replayTime));
            }
            lastStamp = Math.max(lastStamp, command.stamp());
            machine.apply(command);
            replayed++;
            valid += 8 + length;
        }
        long torn = channel.size() - valid;
        if (torn > 0) {
            channel.truncate(valid);
            channel.force(true);
        }
        channel.position(valid);
        if (bugs.on(Bug.IDS_REUSED)) {
            machine.forgetCounters();
        }
        Log.info("replayed %d commands%s", replayed, torn > 0 ? ", cut a torn tail of " + torn + " bytes" : "");
        CommandLog log = new CommandLog(channel, machine, bugs, json, lastStamp);
        log.writer.start();
        return log;
    }

    /** Appends {@code command}; the answer completes once it is on disk and applied. */
    CompletableFuture<Outcome> append(Command command) {
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        if (closed) {
            answer.completeExceptionally(new IllegalStateException("the node is stopping"));
            return answer;
        }
        waiting.add(new Pending(command, answer));
        return answer;
    }

    private void write() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    waiting.drainTo(batch, 255);
                    writeBatch(batch);
                    batch.clear();
                }
                flushDeferred(false);
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                Log.info("log write failed: %s", e);
                batch.forEach(p -> p.answer().completeExceptionally(e));
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) throws IOException {
        List<ByteBuffer> records = new ArrayList<>();
        List<Pending> synced = new ArrayList<>();
        List<Command> stamped = new ArrayList<>();
        for (Pending p : batch) {
            lastStamp = Math.max(lastStamp, System.currentTimeMillis());
            Command command = p.command().stamped(lastStamp);
            byte[] record = record(command);
            if (bugs.on(Bug.DELETE_NOT_SYNCED) && command.type() == Command.Type.DELETE) {
                if (deferred.isEmpty()) {
                    deferredSince = System.nanoTime();
                }
                deferred.add(record);
                p.answer().complete(machine.apply(command));
                continue;
            }
            records.add(ByteBuffer.wrap(record));
            synced.add(p);
            stamped.add(command);
        }
        if (synced.isEmpty()) {
            return;
        }
        writeAll(records);
        channel.force(false);
        for (int i = 0; i < synced.size(); i++) {
            synced.get(i).answer().complete(machine.apply(stamped.get(i)));
        }
    }

    private void flushDeferred(boolean now) throws IOException {
        if (deferred.isEmpty()
                || (!now && System.nanoTime() - deferredSince < TimeUnit.MILLISECONDS.toNanos(DEFERRED_FLUSH_MILLIS))) {
            return;
        }
        List<ByteBuffer> records = new ArrayList<>();
        deferred.forEach(r -> records.add(ByteBuffer.wrap(r)));
        deferred.clear();
        writeAll(records);
        channel.force(false);
    }

    private void writeAll(List<ByteBuffer> records) throws IOException {
        ByteBuffer[] buffers = records.toArray(ByteBuffer[]::new);
        long remaining = records.stream().mapToLong(ByteBuffer::remaining).sum();
        while (remaining > 0) {
            remaining -= channel.write(buffers);
        }
    }

    private byte[] record(Command command) {
        try {
            byte[] payload = json.writeValueAsBytes(command);
            return ByteBuffer.allocate(8 + payload.length)
                    .putInt(payload.length)
                    .putInt(crc(payload))
                    .put(payload)
                    .array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** Graceful stop: answers what is waiting, writes what the bug deferred, syncs and closes. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
            flushDeferred(true);
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            Log.info("closing the log failed: %s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
