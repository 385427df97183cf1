package io.clstr.reference.raft;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Raft log: the entries after the latest snapshot in memory for fast access, mirrored by the
 * {@link Wal}, and the snapshot itself (kept by the {@link SnapshotStore}). Indexes start at 1;
 * index 0 with term 0 is the empty prefix every log agrees on. After compaction the log holds
 * the entries from {@link #firstIndex()} on, and answers for the snapshot's last included index
 * from the snapshot; an index below that is gone, and asking for it is an error. Not
 * thread-safe: the {@link RaftNode} guards it with its lock.
 */
final class RaftLog {

    private final Wal wal;
    private final SnapshotStore snapshots;
    private Snapshot snapshot;
    private final ArrayList<LogEntry> entries;

    /** A log recovered as {@code entries} after {@code snapshot}; see {@link #recover} for a log read from disk. */
    RaftLog(Wal wal, SnapshotStore snapshots, Snapshot snapshot, List<LogEntry> entries) {
        this.wal = wal;
        this.snapshots = snapshots;
        this.snapshot = snapshot;
        this.entries = new ArrayList<>(entries);
        for (int i = 0; i < this.entries.size(); i++) {
            if (this.entries.get(i).index() != snapshot.index() + 1 + i) {
                throw new IllegalArgumentException(
                        "recovered log is not contiguous at position " + i + " after index " + snapshot.index());
            }
        }
    }

    /**
     * The log as the WAL and the latest snapshot left it. They agree unless a crash came between
     * writing a snapshot and compacting the WAL (or during the compaction, which leaves the old
     * WAL whole): then the WAL still starts before the snapshot, and this finishes the job. Raft
     * §7's rule decides what stays: if the WAL holds the snapshot's last included entry with the
     * same term, the entries after it; otherwise none. The WAL is rewritten to match before the
     * node starts.
     *
     * @throws IOException if the WAL starts after the snapshot (compaction never runs ahead of a
     *                     durable snapshot, so the data directory is damaged) or cannot be rewritten
     */
    static RaftLog recover(Wal.Recovery recovery, SnapshotStore snapshots, Snapshot snapshot) throws IOException {
        Wal.Base base = recovery.base();
        if (base.index() > snapshot.index()) {
            throw new IOException("the log on disk starts after index " + base.index() + " but the snapshot ends at "
                    + snapshot.index() + ": entries in between are lost");
        }
        if (base.index() == snapshot.index()) {
            return new RaftLog(recovery.wal(), snapshots, snapshot, recovery.entries());
        }
        long at = snapshot.index() - base.index(); // position of the snapshot's last entry, from 1
        List<LogEntry> kept = List.of();
        if (recovery.entries().size() >= at
                && recovery.entries().get((int) at - 1).term() == snapshot.term()) {
            kept = recovery.entries().subList((int) at, recovery.entries().size());
        }
        RaftLog log = new RaftLog(recovery.wal(), snapshots, snapshot, kept);
        Log.info(
                "the log on disk starts after index %d, the snapshot ends at %d: compacting it now (%d entries kept)",
                base.index(), snapshot.index(), kept.size());
        try {
            log.rewriteWal().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot compact the log after the snapshot: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("compacting the log after the snapshot took over 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compacting the log", e);
        }
        return log;
    }

    /** The snapshot the log starts after ({@link Snapshot#NONE} if it was never compacted). */
    Snapshot snapshot() {
        return snapshot;
    }

    long snapshotIndex() {
        return snapshot.index();
    }

    long snapshotTerm() {
        return snapshot.term();
    }

    /** The first index this log holds an entry for (one past the snapshot's). */
    long firstIndex() {
        return snapshot.index() + 1;
    }

    long lastIndex() {
        return snapshot.index() + entries.size();
    }

    long lastTerm() {
        return termAt(lastIndex());
    }

    /** The stamp of the last entry, or the snapshot's when no entry follows it. */
    long lastStamp() {
        return entries.isEmpty()
                ? snapshot.stamp()
                : entries.get(entries.size() - 1).stamp();
    }

    /**
     * The term of the entry at {@code index}: the snapshot's term at its last included index (0
     * for index 0 before any snapshot), -1 past the last index.
     *
     * @throws IllegalArgumentException for an index inside the snapshot, whose term is gone
     */
    long termAt(long index) {
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index < 0 || index > lastIndex()) {
            return -1;
        }
        return held(index).term();
    }

    /**
     * The entry at {@code index}.
     *
     * @throws IllegalArgumentException for an index inside the snapshot or past the last index
     */
    LogEntry get(long index) {
        return held(index);
    }

    /** The first index holding {@code term}, searching back from {@code from}, never below {@link #firstIndex()}. */
    long firstIndexOfTerm(long term, long from) {
        long index = Math.min(from, lastIndex());
        while (index > firstIndex() && termAt(index - 1) == term) {
            index--;
        }
        return index;
    }

    /**
     * Up to {@code maxEntries} entries (and about {@code maxBytes}) from {@code from} on.
     *
     * @throws IllegalArgumentException if {@code from} is inside the snapshot: that peer needs the snapshot
     */
    List<LogEntry> slice(long from, int maxEntries, int maxBytes) {
        if (from < firstIndex()) {
            throw compacted(from);
        }
        List<LogEntry> result = new ArrayList<>();
        int bytes = 0;
        for (long i = from; i <= lastIndex() && result.size() < maxEntries; i++) {
            LogEntry entry = get(i);
            bytes += entry.command().length + 40;
            if (!result.isEmpty() && bytes > maxBytes) {
                break;
            }
            result.add(entry);
        }
        return result;
    }

    /** The entries held, after the snapshot. */
    List<LogEntry> all() {
        return List.copyOf(entries);
    }

    /** Appends one entry at {@code lastIndex() + 1}; the future completes once it is durable. */
    CompletableFuture<Void> append(LogEntry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + entry.index() + " but last index is " + lastIndex());
        }
        entries.add(entry);
        return wal.append(List.of(entry));
    }

    /**
     * Replaces everything from {@code replacement.get(0).index()} on with {@code replacement}
     * (a follower repairing its log from the leader). The future completes once the new entries
     * are durable. Entries inside the snapshot are committed and never replaced.
     */
    CompletableFuture<Void> replaceFrom(List<LogEntry> replacement) {
        long from = replacement.get(0).index();
        if (from < firstIndex() || from > lastIndex() + 1) {
            throw new IllegalArgumentException(
                    "replace from " + from + " but the log holds " + firstIndex() + " to " + lastIndex());
        }
        for (int i = 0; i < replacement.size(); i++) {
            if (replacement.get(i).index() != from + i) {
                throw new IllegalArgumentException(
                        "entries are not contiguous at " + replacement.get(i).index());
            }
        }
        truncateFrom(from);
        entries.addAll(replacement);
        return wal.append(replacement);
    }

    /** Completes once everything appended so far is durable. */
    CompletableFuture<Void> durable() {
        return wal.barrier();
    }

    /**
     * Writes {@code next} to disk (off the caller's thread, see {@link SnapshotStore#save}); the log
     * itself does not change until {@link #compactThrough} or {@link #installSnapshot}.
     */
    CompletableFuture<Void> saveSnapshot(Snapshot next) {
        return snapshots.save(next);
    }

    /**
     * Drops the entries through {@code next}'s index, which this node applied and wrote to the
     * durable snapshot {@code next}, and keeps the rest. The future completes once the WAL on disk
     * starts after it too.
     */
    CompletableFuture<Void> compactThrough(Snapshot next) {
        if (next.index() <= snapshot.index() || next.index() > lastIndex()) {
            throw new IllegalArgumentException("cannot compact through " + next.index() + ": the log holds "
                    + firstIndex() + " to " + lastIndex());
        }
        entries.subList(0, (int) (next.index() - snapshot.index())).clear();
        snapshot = next;
        return rewriteWal();
    }

    /**
     * Starts the log after {@code next}, a durable snapshot from the leader (Raft §7): if this log
     * holds its last included entry with the same term, the entries after it stay; otherwise the
     * whole log goes. The future completes once the WAL on disk agrees.
     *
     * @return whether entries after the snapshot were kept, and the WAL's future
     */
    Installed installSnapshot(Snapshot next) {
        if (next.index() <= snapshot.index()) {
            throw new IllegalArgumentException(
                    "the log already starts after " + snapshot.index() + ", not before " + next.index());
        }
        boolean keep = next.index() <= lastIndex() && termAt(next.index()) == next.term();
        if (keep) {
            entries.subList(0, (int) (next.index() - snapshot.index())).clear();
        } else {
            entries.clear();
        }
        snapshot = next;
        return new Installed(keep, rewriteWal());
    }

    /** What {@link #installSnapshot} did. */
    record Installed(boolean keptSuffix, CompletableFuture<Void> durable) {}

    private CompletableFuture<Void> rewriteWal() {
        return wal.compact(new Wal.Base(snapshot.index(), snapshot.term(), snapshot.stamp()), entries);
    }

    private void truncateFrom(long from) {
        entries.subList((int) (from - firstIndex()), entries.size()).clear();
    }

    private LogEntry held(long index) {
        if (index < firstIndex()) {
            throw compacted(index);
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("no entry at " + index + ": the last index is " + lastIndex());
        }
        return entries.get((int) (index - firstIndex()));
    }

    private IllegalArgumentException compacted(long index) {
        return new IllegalArgumentException(
                "entry " + index + " is compacted into the snapshot through " + snapshot.index());
    }
}
