package io.clstr.junit.stream;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.HistoryCheck;
import io.clstr.junit.history.Violation;
import io.clstr.junit.stream.StreamInput.Commit;
import io.clstr.junit.stream.StreamInput.Poll;
import io.clstr.junit.stream.StreamInput.ReadCommitted;
import io.clstr.junit.stream.StreamInput.Send;
import io.clstr.junit.stream.StreamOutput.Committed;
import io.clstr.junit.stream.StreamOutput.Polled;
import io.clstr.junit.stream.StreamOutput.Read;
import io.clstr.junit.stream.StreamOutput.Sent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The properties of a replicated append-only log with offsets (spec/queue.md, stage 8), as
 * Jepsen's Kafka checker states them, each a {@link HistoryCheck} over a recorded stream history.
 * Messages are told apart by their text. A check reports only what is certain: an offset a poll
 * returned or a send had acknowledged exists, and a log that shows offset {@code n} has shown every
 * offset before it, so a poll that passes over one skipped it whenever it ran.
 *
 * <pre>{@code
 * cluster.assertHolds(history, StreamChecks.all(),
 *         "The log lost, repeated or skipped messages.",
 *         "Give a message its offset when its entry commits, not when the leader appends it.");
 * }</pre>
 */
public final class StreamChecks {

    private StreamChecks() {}

    /** Every check of this class, reading the history once. */
    public static HistoryCheck<StreamInput, StreamOutput> all() {
        return entries -> {
            Facts facts = Facts.of(entries);
            List<Violation> found = new ArrayList<>();
            found.addAll(noLostWrites(facts));
            found.addAll(noDuplicates(facts));
            found.addAll(oneMessagePerOffset(facts));
            found.addAll(noSkips(facts));
            found.addAll(monotonicOffsets(facts));
            found.addAll(committedOffsetsMonotonic(facts));
            return found;
        };
    }

    /**
     * No lost writes: a message whose send was acknowledged with offset {@code o} is read by some
     * poll, or no poll that started at or before {@code o} read past it. End the workload with a
     * poll of every stream from its first offset, so that every acknowledged write is looked for.
     */
    public static HistoryCheck<StreamInput, StreamOutput> noLostWrites() {
        return entries -> noLostWrites(Facts.of(entries));
    }

    /** No duplicates: each message is at one offset of its stream, in every poll and in its send's answer. */
    public static HistoryCheck<StreamInput, StreamOutput> noDuplicates() {
        return entries -> noDuplicates(Facts.of(entries));
    }

    /** One message per offset: no offset of a stream is given to two messages, by sends' answers or polls. */
    public static HistoryCheck<StreamInput, StreamOutput> oneMessagePerOffset() {
        return entries -> oneMessagePerOffset(Facts.of(entries));
    }

    /**
     * No skips: a poll from offset {@code p} returns the offsets that exist from {@code p} on, in a
     * run without holes; an offset between {@code p} and the last one it returned that any send
     * acknowledged or any poll returned is missing from it only if the log skipped it.
     */
    public static HistoryCheck<StreamInput, StreamOutput> noSkips() {
        return entries -> noSkips(Facts.of(entries));
    }

    /**
     * Monotonic offsets: of two sends to a stream, the one called after the other returned gets the
     * higher offset; and a poll's offsets increase and none is before the offset it asked for.
     */
    public static HistoryCheck<StreamInput, StreamOutput> monotonicOffsets() {
        return entries -> monotonicOffsets(Facts.of(entries));
    }

    /**
     * Committed offsets are monotonic: a read of a group's committed offset called after a commit
     * (or another read) returned gets at least that offset, and never "none" once there was one.
     */
    public static HistoryCheck<StreamInput, StreamOutput> committedOffsetsMonotonic() {
        return entries -> committedOffsetsMonotonic(Facts.of(entries));
    }

    private static List<Violation> noLostWrites(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Entry<StreamInput, StreamOutput> send : facts.okSends) {
            String key = send.input().key();
            String message = ((Send) send.input()).message();
            long offset = ((Sent) send.output()).offset();
            if (facts.stream(key).readsOf.containsKey(message)) {
                continue;
            }
            for (Entry<StreamInput, StreamOutput> poll : facts.stream(key).polls) {
                long from = ((Poll) poll.input()).offset();
                long last = lastOffset(poll);
                if (from <= offset && last > offset) {
                    found.add(new Violation(
                            "no lost writes",
                            "\"" + message + "\" was acknowledged at offset " + offset + " of " + key + " ("
                                    + send.label() + ") and never read, though " + poll.label() + " read " + key
                                    + " from offset " + from + " past it (to offset " + last + ")",
                            List.of(send.id(), poll.id())));
                    break;
                }
            }
        }
        return found;
    }

    private static List<Violation> noDuplicates(Facts facts) {
        List<Violation> found = new ArrayList<>();
        facts.streams.forEach((key, stream) -> stream.placesOf.forEach((message, places) -> {
            if (places.size() > 1) {
                found.add(new Violation(
                        "no duplicates",
                        "\"" + message + "\" is at " + places.size() + " offsets of " + key + ": " + describe(places),
                        ids(places.values())));
            }
        }));
        return found;
    }

    private static List<Violation> oneMessagePerOffset(Facts facts) {
        List<Violation> found = new ArrayList<>();
        facts.streams.forEach((key, stream) -> stream.messagesAt.forEach((offset, messages) -> {
            if (messages.size() > 1) {
                found.add(new Violation(
                        "one message per offset",
                        "offset " + offset + " of " + key + " holds " + messages.size() + " messages: "
                                + messages.entrySet().stream()
                                        .map(e -> "\"" + e.getKey() + "\" ("
                                                + e.getValue().describe() + ")")
                                        .collect(Collectors.joining(", ")),
                        ids(messages.values())));
            }
        }));
        return found;
    }

    private static List<Violation> noSkips(Facts facts) {
        List<Violation> found = new ArrayList<>();
        facts.streams.forEach((key, stream) -> {
            NavigableSet<Long> known = stream.messagesAt.navigableKeySet();
            for (Entry<StreamInput, StreamOutput> poll : stream.polls) {
                List<Read> reads = ((Polled) poll.output()).reads();
                long below = ((Poll) poll.input()).offset() - 1;
                for (Read read : reads) {
                    if (read.offset() > below + 1) {
                        Long skipped = known.higher(below);
                        if (skipped != null && skipped < read.offset()) {
                            Sighting seen = stream.messagesAt
                                    .get(skipped)
                                    .values()
                                    .iterator()
                                    .next();
                            found.add(new Violation(
                                    "no skips",
                                    poll.label() + " polled " + key + " from offset " + ((Poll) poll.input()).offset()
                                            + " and got offsets " + offsets(reads) + ", without offset " + skipped
                                            + " (\"" + seen.message + "\", " + seen.describe() + ")",
                                    List.of(poll.id(), seen.entry.id())));
                            break;
                        }
                    }
                    below = Math.max(below, read.offset());
                }
            }
        });
        return found;
    }

    private static List<Violation> monotonicOffsets(Facts facts) {
        List<Violation> found = new ArrayList<>();
        facts.streams.forEach((key, stream) -> {
            found.addAll(realTimeOrder(
                    stream.sends,
                    stream.sends,
                    e -> ((Sent) e.output()).offset(),
                    (earlier, later) -> ((Sent) later.output()).offset() <= ((Sent) earlier.output()).offset(),
                    (earlier, later) -> new Violation(
                            "monotonic offsets",
                            earlier.label() + " got offset " + ((Sent) earlier.output()).offset() + " of " + key
                                    + " and returned before " + later.label() + " was called, which got offset "
                                    + ((Sent) later.output()).offset(),
                            List.of(earlier.id(), later.id()))));
            for (Entry<StreamInput, StreamOutput> poll : stream.polls) {
                long from = ((Poll) poll.input()).offset();
                List<Read> reads = ((Polled) poll.output()).reads();
                for (int i = 0; i < reads.size(); i++) {
                    long offset = reads.get(i).offset();
                    String wrong = offset < from
                            ? "offset " + offset + ", before the offset it asked for"
                            : i > 0 && offset <= reads.get(i - 1).offset()
                                    ? "offset " + offset + " after offset "
                                            + reads.get(i - 1).offset()
                                    : null;
                    if (wrong != null) {
                        found.add(new Violation(
                                "monotonic offsets",
                                poll.label() + " polled " + key + " from offset " + from + " and got " + wrong
                                        + " (offsets " + offsets(reads) + ")",
                                List.of(poll.id())));
                        break;
                    }
                }
            }
        });
        return found;
    }

    private static List<Violation> committedOffsetsMonotonic(Facts facts) {
        Map<String, List<Entry<StreamInput, StreamOutput>>> byGroup = new LinkedHashMap<>();
        for (Entry<StreamInput, StreamOutput> e : facts.entries) {
            if (e.completion() != Completion.OK) {
                continue;
            }
            if (e.input() instanceof Commit c) {
                byGroup.computeIfAbsent(c.key() + " group " + c.group(), k -> new ArrayList<>())
                        .add(e);
            } else if (e.input() instanceof ReadCommitted r && e.output() instanceof Committed) {
                byGroup.computeIfAbsent(r.key() + " group " + r.group(), k -> new ArrayList<>())
                        .add(e);
            }
        }
        List<Violation> found = new ArrayList<>();
        byGroup.forEach((group, ops) -> found.addAll(realTimeOrder(
                ops.stream().filter(e -> committedOffset(e) != null).toList(),
                ops.stream().filter(e -> e.input() instanceof ReadCommitted).toList(),
                StreamChecks::committedOffset,
                (highest, read) -> committedOffset(read) == null || committedOffset(read) < committedOffset(highest),
                (highest, read) -> new Violation(
                        "committed offsets monotonic",
                        group + ": " + read.label() + " read "
                                + (committedOffset(read) == null
                                        ? "no committed offset"
                                        : "offset " + committedOffset(read))
                                + ", though " + highest.label()
                                + (highest.input() instanceof Commit ? " had committed " : " had read ")
                                + committedOffset(highest) + " before it was called",
                        List.of(highest.id(), read.id())))));
        return found;
    }

    /** The offset a commit set or a committed-offset read returned; null for a read that found none. */
    private static Long committedOffset(Entry<StreamInput, StreamOutput> e) {
        return e.input() instanceof Commit c ? Long.valueOf(c.offset()) : ((Committed) e.output()).offset();
    }

    /**
     * Pairs in real-time order (one of {@code earlier} returned before one of {@code later} was
     * called) that {@code wrong} rejects, the earlier being the one with the highest {@code rank}
     * among those returned by then: at most one violation per later operation.
     */
    private static List<Violation> realTimeOrder(
            List<Entry<StreamInput, StreamOutput>> earlier,
            List<Entry<StreamInput, StreamOutput>> later,
            Function<Entry<StreamInput, StreamOutput>, Long> rank,
            BiPredicate<Entry<StreamInput, StreamOutput>, Entry<StreamInput, StreamOutput>> wrong,
            BiFunction<Entry<StreamInput, StreamOutput>, Entry<StreamInput, StreamOutput>, Violation> violation) {
        List<Entry<StreamInput, StreamOutput>> byReturn = new ArrayList<>(earlier);
        byReturn.sort(Comparator.comparingLong(Entry::returnNanos));
        List<Entry<StreamInput, StreamOutput>> byCall = new ArrayList<>(later);
        byCall.sort(Comparator.comparingLong(Entry::callNanos));
        List<Violation> found = new ArrayList<>();
        int next = 0;
        Entry<StreamInput, StreamOutput> highest = null;
        for (Entry<StreamInput, StreamOutput> op : byCall) {
            while (next < byReturn.size() && byReturn.get(next).returnNanos() < op.callNanos()) {
                Entry<StreamInput, StreamOutput> candidate = byReturn.get(next++);
                if (highest == null || rank.apply(candidate) > rank.apply(highest)) {
                    highest = candidate;
                }
            }
            if (highest != null && wrong.test(highest, op)) {
                found.add(violation.apply(highest, op));
            }
        }
        return found;
    }

    private static long lastOffset(Entry<StreamInput, StreamOutput> poll) {
        long last = Long.MIN_VALUE;
        for (Read read : ((Polled) poll.output()).reads()) {
            last = Math.max(last, read.offset());
        }
        return last;
    }

    private static String offsets(List<Read> reads) {
        return reads.stream().map(r -> Long.toString(r.offset())).collect(Collectors.joining(", "));
    }

    private static String describe(Map<Long, Sighting> places) {
        return places.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().describe() + ")")
                .collect(Collectors.joining(", "));
    }

    private static List<Integer> ids(Collection<Sighting> sightings) {
        return sightings.stream().map(s -> s.entry.id()).distinct().toList();
    }

    /** The first operation that showed a message at an offset: a send's answer or a poll. */
    private record Sighting(String message, Entry<StreamInput, StreamOutput> entry) {
        String describe() {
            return entry.input() instanceof Send ? "acknowledged to " + entry.label() : "read by " + entry.label();
        }
    }

    /** What the checks know of one stream. */
    private static final class Stream {
        /** Sends that ended ok, in invocation order. */
        final List<Entry<StreamInput, StreamOutput>> sends = new ArrayList<>();
        /** Polls that ended ok, in invocation order. */
        final List<Entry<StreamInput, StreamOutput>> polls = new ArrayList<>();
        /** Every offset shown, with each message shown there and the first operation that showed it. */
        final TreeMap<Long, Map<String, Sighting>> messagesAt = new TreeMap<>();
        /** Every message shown, with each offset it was shown at. */
        final Map<String, Map<Long, Sighting>> placesOf = new LinkedHashMap<>();
        /** Messages some poll returned. */
        final Map<String, Sighting> readsOf = new LinkedHashMap<>();

        void saw(long offset, String message, Entry<StreamInput, StreamOutput> by) {
            Sighting sighting = new Sighting(message, by);
            messagesAt.computeIfAbsent(offset, o -> new LinkedHashMap<>()).putIfAbsent(message, sighting);
            placesOf.computeIfAbsent(message, m -> new TreeMap<>()).putIfAbsent(offset, sighting);
            if (by.input() instanceof Poll) {
                readsOf.putIfAbsent(message, sighting);
            }
        }
    }

    /** What the checks read from a history, gathered once per check. */
    private static final class Facts {
        final List<Entry<StreamInput, StreamOutput>> entries;
        final List<Entry<StreamInput, StreamOutput>> okSends = new ArrayList<>();
        final Map<String, Stream> streams = new LinkedHashMap<>();

        private Facts(List<Entry<StreamInput, StreamOutput>> entries) {
            this.entries = entries;
        }

        static Facts of(List<Entry<StreamInput, StreamOutput>> entries) {
            Facts facts = new Facts(entries);
            for (Entry<StreamInput, StreamOutput> e : entries) {
                if (e.completion() != Completion.OK) {
                    continue;
                }
                Stream stream = facts.stream(e.input().key());
                if (e.input() instanceof Send send && e.output() instanceof Sent sent) {
                    facts.okSends.add(e);
                    stream.sends.add(e);
                    stream.saw(sent.offset(), send.message(), e);
                } else if (e.input() instanceof Poll && e.output() instanceof Polled polled) {
                    stream.polls.add(e);
                    polled.reads().forEach(read -> stream.saw(read.offset(), read.message(), e));
                }
            }
            return facts;
        }

        Stream stream(String key) {
            return streams.computeIfAbsent(key, k -> new Stream());
        }
    }
}
