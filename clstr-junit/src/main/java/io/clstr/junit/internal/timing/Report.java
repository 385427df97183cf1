package io.clstr.junit.internal.timing;

import io.clstr.junit.internal.timing.Ledger.Wait;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where one stage's wall time went: each stretch of it counts once, for the first {@link Wait}
 * kind that covers it, or else as overhead of the innermost {@link Part} that covers it (the one
 * started last), or else of {@link #OTHER}. So the waits and the overhead add up to the wall time,
 * and overlapping waits (requests inside a window, nodes starting at once) are not counted twice.
 *
 * @param stage    the stage's key
 * @param wall     the stage's wall time, nanoseconds
 * @param waited   the time each kind of wait covered, nanoseconds, every kind present
 * @param overhead the harness's own time per part, nanoseconds, largest first
 */
public record Report(String stage, long wall, Map<Wait, Long> waited, Map<String, Long> overhead) {

    /** Where overhead outside every part goes: the test engine and the extension between parts. */
    public static final String OTHER = "other";

    /** The key of the report entry a stage publishes its line under; the numbers go under keys that start with it. */
    public static final String ENTRY = "clstr.timing";

    /** For {@link #line(int)}: every part the line's precision can show. */
    public static final int EVERY_PART = Integer.MAX_VALUE;

    /** The shortest wait kind the line shows (0.1 s, with one decimal). */
    private static final long SHOWN_WAIT = 50_000_000L;

    /** The shortest overhead of a part the line shows (0.01 s, with two decimals). */
    private static final long SHOWN_PART = 5_000_000L;

    /** A named part of the run, from {@code start} to {@code end} ({@link System#nanoTime()}). */
    record Part(String name, long start, long end) {}

    public Report {
        Objects.requireNonNull(stage, "stage");
        waited = new EnumMap<>(waited);
        for (Wait w : Wait.values()) {
            waited.putIfAbsent(w, 0L);
        }
        waited = Collections.unmodifiableMap(waited);
        overhead = Collections.unmodifiableMap(new LinkedHashMap<>(overhead));
    }

    /** The report of wall time {@code [start, end)}, given each kind's waits as disjoint stretches in order. */
    static Report of(String stage, long start, long end, Map<Wait, long[]> waits, List<Part> parts) {
        List<long[]> events = new ArrayList<>(); // {time, +1 start / -1 end, wait ordinal or -1, part index}
        waits.forEach((kind, union) -> {
            for (int i = 0; i < union.length; i += 2) {
                events.add(new long[] {union[i], 1, kind.ordinal(), -1});
                events.add(new long[] {union[i + 1], -1, kind.ordinal(), -1});
            }
        });
        for (int i = 0; i < parts.size(); i++) {
            events.add(new long[] {parts.get(i).start(), 1, -1, i});
            events.add(new long[] {parts.get(i).end(), -1, -1, i});
        }
        events.sort(Comparator.comparingLong(e -> e[0] - start));

        long[] waited = new long[Wait.values().length];
        Map<String, Long> overhead = new LinkedHashMap<>();
        int[] depth = new int[Wait.values().length];
        List<Integer> active = new ArrayList<>();
        long previous = start;
        for (long[] e : events) {
            long at = clamp(e[0], start, end);
            attribute(at - previous, depth, active, parts, waited, overhead);
            previous = at;
            if (e[2] >= 0) {
                depth[(int) e[2]] += (int) e[1];
            } else if (e[1] > 0) {
                active.add((int) e[3]);
            } else {
                active.remove(Integer.valueOf((int) e[3]));
            }
        }
        attribute(end - previous, depth, active, parts, waited, overhead);

        Map<Wait, Long> byKind = new EnumMap<>(Wait.class);
        for (Wait w : Wait.values()) {
            byKind.put(w, waited[w.ordinal()]);
        }
        Map<String, Long> sorted = overhead.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        return new Report(stage, end - start, byKind, sorted);
    }

    private static void attribute(
            long nanos,
            int[] depth,
            List<Integer> active,
            List<Part> parts,
            long[] waited,
            Map<String, Long> overhead) {
        if (nanos <= 0) {
            return;
        }
        for (int k = 0; k < depth.length; k++) {
            if (depth[k] > 0) {
                waited[k] += nanos;
                return;
            }
        }
        String part = OTHER;
        long latest = Long.MIN_VALUE;
        for (int index : active) {
            Part p = parts.get(index);
            if (latest == Long.MIN_VALUE || p.start() - latest >= 0) {
                latest = p.start();
                part = p.name();
            }
        }
        overhead.merge(part, nanos, Long::sum);
    }

    private static long clamp(long t, long start, long end) {
        if (t - start < 0) {
            return start;
        }
        return t - end > 0 ? end : t;
    }

    /** The time every wait covered together, nanoseconds. */
    public long waits() {
        return waited.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The harness's own time: wall time no wait covered, nanoseconds; never negative. */
    public long overheadTotal() {
        return overhead.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@link #overheadTotal()} as a percentage of the wall time. */
    public double overheadPercent() {
        return wall == 0 ? 0 : 100.0 * overheadTotal() / wall;
    }

    /**
     * One line: {@code leader-election wall 20.4 s, waits 19.1 s (windows 12.0, settles 3.0, starts
     * 2.5, requests 1.6), overhead 1.3 s (6.4 %): teardown 0.40 s, cluster start 0.31 s, other 0.12 s}
     * (the largest overhead parts, at most {@code parts} of them; waits and parts too short to show
     * in the line's precision are left out of it, not out of the sums).
     */
    public String line(int parts) {
        String kinds = waited.entrySet().stream()
                .filter(e -> e.getValue() >= SHOWN_WAIT)
                .map(e -> e.getKey().label() + " " + seconds(e.getValue(), 1))
                .collect(Collectors.joining(", "));
        String biggest = overhead.entrySet().stream()
                .filter(e -> e.getValue() >= SHOWN_PART)
                .limit(parts)
                .map(e -> e.getKey() + " " + seconds(e.getValue(), 2) + " s")
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "%s wall %s s, waits %s s%s, overhead %s s (%.1f %%)%s",
                stage,
                seconds(wall, 1),
                seconds(waits(), 1),
                kinds.isEmpty() ? "" : " (" + kinds + ")",
                seconds(overheadTotal(), 1),
                overheadPercent(),
                biggest.isEmpty() ? "" : ": " + biggest);
    }

    /** The report as the entries of a JUnit report entry: the line under {@link #ENTRY}, times in nanoseconds. */
    public Map<String, String> toEntry() {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put(ENTRY, line(5));
        entry.put(ENTRY + ".stage", stage);
        entry.put(ENTRY + ".wall", Long.toString(wall));
        waited.forEach((kind, nanos) -> entry.put(ENTRY + ".wait." + kind.label(), Long.toString(nanos)));
        overhead.forEach((part, nanos) -> entry.put(ENTRY + ".part." + part, Long.toString(nanos)));
        return entry;
    }

    /** The report {@link #toEntry()} wrote, read back. */
    public static Report fromEntry(Map<String, String> entry) {
        String stage = Objects.requireNonNull(entry.get(ENTRY + ".stage"), "not a timing entry: " + entry.keySet());
        Map<Wait, Long> waited = new EnumMap<>(Wait.class);
        Arrays.stream(Wait.values())
                .forEach(w -> waited.put(w, Long.parseLong(entry.getOrDefault(ENTRY + ".wait." + w.label(), "0"))));
        Map<String, Long> overhead = new LinkedHashMap<>();
        entry.forEach((key, value) -> {
            if (key.startsWith(ENTRY + ".part.")) {
                overhead.put(key.substring((ENTRY + ".part.").length()), Long.parseLong(value));
            }
        });
        return new Report(stage, Long.parseLong(entry.get(ENTRY + ".wall")), waited, overhead);
    }

    private static String seconds(long nanos, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", nanos / 1e9);
    }
}
