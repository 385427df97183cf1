package io.clstr.junit.lock;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.HistoryCheck;
import io.clstr.junit.history.Violation;
import io.clstr.junit.lock.WatchInput.Delete;
import io.clstr.junit.lock.WatchInput.Put;
import io.clstr.junit.lock.WatchInput.Watch;
import io.clstr.junit.lock.WatchOutput.Event;
import io.clstr.junit.lock.WatchOutput.Events;
import io.clstr.junit.lock.WatchOutput.Written;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What watches report (spec/lock.md, stage 6), as a {@link HistoryCheck} over one history that
 * records the writers' puts and deletes and the watchers' polls together. Writes are told apart by
 * their revision when acknowledged and by their value (unique in the workload) when not.
 *
 * <pre>{@code
 * cluster.assertHolds(history, WatchChecks.eventsMatchWrites(),
 *         "The watch's events are not the acknowledged writes, in revision order.",
 *         "Emit an event when a write's entry is applied, with the revision the write was given.");
 * }</pre>
 */
public final class WatchChecks {

    private WatchChecks() {}

    /**
     * Events match writes, exactly and in revision order, for workloads without expiring keys:
     * <ul>
     *   <li><b>order</b>: each poll's events have revisions that increase strictly, none below the
     *       revision it asked for, each of a key the watch covers;
     *   <li><b>one write per revision</b>: a revision shows the same write in every poll, and the
     *       write acknowledged with that revision (type, key and value);
     *   <li><b>nothing unexpected</b>: an event at a revision no write was acknowledged with is a put
     *       of a value some put of that key that may have happened wrote (of unknown outcome, or
     *       acknowledged without a revision), or a delete
     *       of a key some delete of unknown outcome deleted; never a refused ({@code fail}) write,
     *       nor a value acknowledged at another revision;
     *   <li><b>no missing events</b>: every acknowledged write of a key some poll watched from its
     *       revision or before is in some poll's events. End the workload by polling until the
     *       watcher has caught up with the last acknowledged revision: a write it never saw counts
     *       as missing.
     * </ul>
     */
    public static HistoryCheck<WatchInput, WatchOutput> eventsMatchWrites() {
        return entries -> {
            Facts facts = Facts.of(entries);
            List<Violation> found = new ArrayList<>(order(facts));
            found.addAll(oneWritePerRevision(facts));
            found.addAll(noMissingEvents(facts));
            return found;
        };
    }

    private static List<Violation> order(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Entry<WatchInput, WatchOutput> poll : facts.polls) {
            Watch watch = (Watch) poll.input();
            List<Event> events = events(poll);
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                String wrong = e.revision() < watch.revision()
                        ? "revision " + e.revision() + ", below the revision it asked for"
                        : i > 0 && e.revision() <= events.get(i - 1).revision()
                                ? "revision " + e.revision() + " after revision "
                                        + events.get(i - 1).revision()
                                : !watch.covers(e.key()) ? "an event of key " + e.key() + ", outside the watch" : null;
                if (wrong != null) {
                    found.add(new Violation(
                            "watch order",
                            poll.label() + " watched " + describe(watch) + " and got " + wrong + " (revisions "
                                    + revisions(events) + ")",
                            List.of(poll.id())));
                    break;
                }
            }
        }
        return found;
    }

    private static List<Violation> oneWritePerRevision(Facts facts) {
        List<Violation> found = new ArrayList<>();
        Map<Long, Entry<WatchInput, WatchOutput>> firstShown = new HashMap<>();
        Set<Long> reported = new HashSet<>();
        for (Entry<WatchInput, WatchOutput> poll : facts.polls) {
            for (Event event : events(poll)) {
                long revision = event.revision();
                Entry<WatchInput, WatchOutput> first = firstShown.putIfAbsent(revision, poll);
                Entry<WatchInput, WatchOutput> acked = facts.ackedAt.get(revision);
                Violation wrong;
                if (acked != null) {
                    wrong = event.write().equals(written(acked).write())
                            ? null
                            : new Violation(
                                    "one write per revision",
                                    "revision " + revision + " is " + event.write() + " in " + poll.label()
                                            + "'s events, but " + acked.label() + " was acknowledged at revision "
                                            + revision + ": " + written(acked).write(),
                                    List.of(acked.id(), poll.id()));
                } else if (first != null
                        && !event.write().equals(eventAt(first, revision).write())) {
                    wrong = new Violation(
                            "one write per revision",
                            "revision " + revision + " is "
                                    + eventAt(first, revision).write() + " in " + first.label() + "'s events and "
                                    + event.write() + " in " + poll.label() + "'s",
                            List.of(first.id(), poll.id()));
                } else {
                    wrong = unexpected(facts, poll, event);
                }
                if (wrong != null && reported.add(revision)) {
                    found.add(wrong);
                }
            }
        }
        return found;
    }

    /** Why {@code event}, at a revision no write was acknowledged with, comes from no possible write; or null. */
    private static Violation unexpected(Facts facts, Entry<WatchInput, WatchOutput> poll, Event event) {
        String shown = "revision " + event.revision() + " (" + event.write() + ") in " + poll.label() + "'s events";
        if (event.value() == null) {
            return facts.possibleDeletes.containsKey(event.key())
                    ? null
                    : new Violation(
                            "nothing unexpected",
                            shown + " matches no delete of " + event.key()
                                    + " acknowledged at that revision or of unknown outcome",
                            List.of(poll.id()));
        }
        List<Entry<WatchInput, WatchOutput>> puts = facts.puts.getOrDefault(event.value(), List.of());
        List<Entry<WatchInput, WatchOutput>> sameKey =
                puts.stream().filter(p -> p.input().key().equals(event.key())).toList();
        if (sameKey.stream().anyMatch(p -> p.isOpen() || p.completion() == Completion.OK && revision(p) < 0)) {
            return null; // of unknown outcome, or acknowledged without a revision
        }
        String why;
        Entry<WatchInput, WatchOutput> put;
        if (puts.isEmpty()) {
            return new Violation("nothing unexpected", shown + " matches no write", List.of(poll.id()));
        } else if (sameKey.isEmpty()) {
            put = puts.get(0);
            why = " has the value " + put.label() + " wrote to " + put.input().key();
        } else if (sameKey.stream().anyMatch(p -> revision(p) >= 0)) {
            put = sameKey.stream().filter(p -> revision(p) >= 0).findFirst().orElseThrow();
            why = " was written by " + put.label() + ", acknowledged at revision " + revision(put);
        } else {
            put = sameKey.get(0);
            why = " was written by " + put.label() + ", which was refused";
        }
        return new Violation("nothing unexpected", shown + why, List.of(put.id(), poll.id()));
    }

    private static List<Violation> noMissingEvents(Facts facts) {
        Set<Long> shown = new HashSet<>();
        facts.polls.forEach(poll -> events(poll).forEach(e -> shown.add(e.revision())));
        List<Violation> found = new ArrayList<>();
        facts.ackedAt.forEach((revision, write) -> {
            if (shown.contains(revision)) {
                return;
            }
            Entry<WatchInput, WatchOutput> witness = null;
            for (Entry<WatchInput, WatchOutput> poll : facts.polls) {
                Watch watch = (Watch) poll.input();
                if (watch.covers(write.input().key()) && watch.revision() <= revision) {
                    witness = poll;
                    if (events(poll).stream().anyMatch(e -> e.revision() > revision)) {
                        break; // it read past the revision: the strongest witness
                    }
                }
            }
            if (witness != null) {
                Watch watch = (Watch) witness.input();
                List<Event> events = events(witness);
                found.add(new Violation(
                        "no missing events",
                        written(write).write() + " was acknowledged at revision " + revision + " (" + write.label()
                                + ") and is in no poll's events, though " + witness.label() + " watched "
                                + describe(watch) + " and got "
                                + (events.isEmpty() ? "none" : "revisions " + revisions(events)),
                        List.of(write.id(), witness.id())));
            }
        });
        return found;
    }

    /** The event an acknowledged write should make. */
    private static Event written(Entry<WatchInput, WatchOutput> write) {
        long revision = revision(write);
        return write.input() instanceof Put put
                ? Event.put(revision, put.key(), put.value())
                : Event.delete(revision, write.input().key());
    }

    /** The revision a write was acknowledged with; -1 when it has none or was not acknowledged. */
    private static long revision(Entry<WatchInput, WatchOutput> write) {
        return write.completion() == Completion.OK && write.output() instanceof Written w ? w.revision() : -1;
    }

    private static List<Event> events(Entry<WatchInput, WatchOutput> poll) {
        return ((Events) poll.output()).events();
    }

    private static Event eventAt(Entry<WatchInput, WatchOutput> poll, long revision) {
        return events(poll).stream()
                .filter(e -> e.revision() == revision)
                .findFirst()
                .orElseThrow();
    }

    private static String describe(Watch watch) {
        return (watch.prefix() ? "prefix " : "") + watch.key() + " from revision " + watch.revision();
    }

    private static String revisions(List<Event> events) {
        return events.stream().map(e -> Long.toString(e.revision())).collect(Collectors.joining(", "));
    }

    /** What the check reads from a history. */
    private static final class Facts {
        /** Polls that ended ok, in invocation order. */
        final List<Entry<WatchInput, WatchOutput>> polls = new ArrayList<>();
        /** Writes that ended ok, by revision (in revision order). */
        final Map<Long, Entry<WatchInput, WatchOutput>> ackedAt = new TreeMap<>();
        /** Every put, by value. */
        final Map<String, List<Entry<WatchInput, WatchOutput>>> puts = new HashMap<>();
        /** Deletes of unknown outcome, by key. */
        final Map<String, Entry<WatchInput, WatchOutput>> possibleDeletes = new LinkedHashMap<>();

        static Facts of(List<Entry<WatchInput, WatchOutput>> entries) {
            Facts facts = new Facts();
            for (Entry<WatchInput, WatchOutput> e : entries) {
                boolean ok = e.completion() == Completion.OK;
                if (e.input() instanceof Watch) {
                    if (ok && e.output() instanceof Events) {
                        facts.polls.add(e);
                    }
                    continue;
                }
                if (ok && e.output() instanceof Written written && written.revision() >= 0) {
                    facts.ackedAt.putIfAbsent(written.revision(), e);
                }
                if (e.input() instanceof Put put) {
                    facts.puts
                            .computeIfAbsent(put.value(), v -> new ArrayList<>())
                            .add(e);
                } else if (e.input() instanceof Delete delete && e.isOpen()) {
                    facts.possibleDeletes.putIfAbsent(delete.key(), e);
                }
            }
            return facts;
        }
    }
}
