package io.clstr.reference.raft;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The latest snapshot on disk: one JSON file replaced atomically (temp file, fsync, rename,
 * directory fsync, as {@link RaftState}), so after a crash it holds the old snapshot or the new
 * one, never a mix. Writes run on one thread of their own, in order, off the node's lock; a
 * snapshot no newer than the one already written is skipped, so the file never goes back.
 */
final class SnapshotStore implements AutoCloseable {

    /** What {@link #open} found. */
    record Loaded(SnapshotStore store, Snapshot snapshot) {}

    private record Stored(
            @JsonProperty("last-included-index") long index,
            @JsonProperty("last-included-term") long term,
            @JsonProperty("last-included-stamp") long stamp,
            @JsonProperty("config") String config,
            @JsonProperty("data") byte[] data) {}

    private final Path file;
    private final ObjectMapper json;
    private final ExecutorService writer;
    /** The index of the snapshot in the file; written by the writer thread only. */
    private volatile long durableIndex;

    private SnapshotStore(Path file, ObjectMapper json, long durableIndex) {
        this.file = file;
        this.json = json;
        this.durableIndex = durableIndex;
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "snapshot-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Reads the snapshot at {@code file} ({@link Snapshot#NONE} if there is none) and drops a
     * temporary file a crash left behind mid-write.
     */
    static Loaded open(Path file, ObjectMapper json) throws IOException {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
        Snapshot snapshot = Snapshot.NONE;
        if (Files.exists(file)) {
            Stored stored = json.readValue(Files.readAllBytes(file), Stored.class);
            if (stored.data() == null || stored.index() < 1) {
                throw new IOException(file + " is not a snapshot: no data or no last-included-index");
            }
            snapshot = new Snapshot(stored.index(), stored.term(), stored.stamp(), stored.config(), stored.data());
        }
        return new Loaded(new SnapshotStore(file, json, snapshot.index()), snapshot);
    }

    /**
     * Writes {@code snapshot} durably on the store's thread. The future completes once it is on
     * disk, or at once (without writing) if the file already holds a snapshot at least as new; it
     * fails if the file cannot be written.
     */
    CompletableFuture<Void> save(Snapshot snapshot) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    if (snapshot.index() > durableIndex) {
                        Fsync.replaceAtomically(
                                file,
                                json.writeValueAsBytes(new Stored(
                                        snapshot.index(),
                                        snapshot.term(),
                                        snapshot.stamp(),
                                        snapshot.config(),
                                        snapshot.data())));
                        durableIndex = snapshot.index();
                    }
                    done.complete(null);
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IOException("the snapshot store is closed", e));
        }
        return done;
    }

    /** Lets a write in progress finish (up to 5 s), then stops the thread. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                Log.info("snapshot: a write to %s did not finish within 5 s", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
