package io.clstr.reference.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Raft log: entries in memory for fast access, mirrored by the {@link Wal}. Indexes start at
 * 1; index 0 with term 0 is the empty prefix every log agrees on. Not thread-safe: the
 * {@link RaftNode} guards it with its lock.
 */
final class RaftLog {

    private final Wal wal;
    private final ArrayList<LogEntry> entries;

    RaftLog(Wal wal, List<LogEntry> recovered) {
        this.wal = wal;
        this.entries = new ArrayList<>(recovered);
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).index() != i + 1) {
                throw new IllegalArgumentException("recovered log is not contiguous at position " + i);
            }
        }
    }

    long lastIndex() {
        return entries.size();
    }

    long lastTerm() {
        return termAt(lastIndex());
    }

    /** The stamp of the last entry, or 0 for an empty log. */
    long lastStamp() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).stamp();
    }

    /** The term of the entry at {@code index}, 0 for index 0, or -1 if there is no such entry. */
    long termAt(long index) {
        if (index == 0) {
            return 0;
        }
        if (index < 0 || index > entries.size()) {
            return -1;
        }
        return entries.get((int) (index - 1)).term();
    }

    LogEntry get(long index) {
        return entries.get((int) (index - 1));
    }

    /** The first index holding {@code term}, searching back from {@code from}. */
    long firstIndexOfTerm(long term, long from) {
        long index = Math.min(from, lastIndex());
        while (index > 1 && termAt(index - 1) == term) {
            index--;
        }
        return index;
    }

    /** Up to {@code maxEntries} entries (and about {@code maxBytes}) from {@code from} on. */
    List<LogEntry> slice(long from, int maxEntries, int maxBytes) {
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
     * are durable.
     */
    CompletableFuture<Void> replaceFrom(List<LogEntry> replacement) {
        long from = replacement.get(0).index();
        if (from < 1 || from > lastIndex() + 1) {
            throw new IllegalArgumentException("replace from " + from + " but last index is " + lastIndex());
        }
        for (int i = 0; i < replacement.size(); i++) {
            if (replacement.get(i).index() != from + i) {
                throw new IllegalArgumentException(
                        "entries are not contiguous at " + replacement.get(i).index());
            }
        }
        while (entries.size() >= from) {
            entries.remove(entries.size() - 1);
        }
        entries.addAll(replacement);
        return wal.append(replacement);
    }

    /** Completes once everything appended so far is durable. */
    CompletableFuture<Void> durable() {
        return wal.barrier();
    }
}
