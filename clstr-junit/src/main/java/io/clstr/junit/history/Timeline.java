package io.clstr.junit.history;

import io.clstr.junit.check.Failure;
import io.clstr.junit.linearizability.Model;
import io.clstr.junit.linearizability.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;

/**
 * A self-contained HTML timeline of a history (inline CSS, no scripts, no external resources): one
 * lane per client, each operation a bar from call to return labelled with input and result (open
 * ones hatched to the end), fault events as vertical markers, and the operations of the checker's
 * failing part highlighted. A folder keeps the newest {@value #KEPT} timelines.
 */
public final class Timeline {

    private static final String CSS = """
            body{font:13px sans-serif;margin:16px;color:#222}
            h1{font-size:18px}h1.bad{color:#b00020}h1.good{color:#1b5e20}
            .chart{position:relative;margin-left:90px;border-left:1px solid #999}
            .lane{position:relative;height:46px;border-bottom:1px solid #ddd}
            .lane-name{position:absolute;left:-90px;width:84px;top:14px;font-weight:bold;text-align:right}
            .op{position:absolute;top:6px;height:32px;min-width:3px;box-sizing:border-box;border:1px solid #555;
            border-radius:3px;overflow:hidden;white-space:nowrap;font-size:11px;padding:1px 3px;line-height:14px}
            .ok{background:#c8e6c9}.fail{background:#eee;color:#777;text-decoration:line-through}
            .info,.pending{border-style:dashed;background:repeating-linear-gradient(45deg,#fff3c4,#fff3c4 6px,#fff 6px,#fff 12px)}
            .failing{border:1px dashed #d50000}
            .violating{border:2px solid #d50000;background-color:#ffcdd2;z-index:2}
            .info.violating,.pending.violating{background:repeating-linear-gradient(45deg,#ffcdd2,#ffcdd2 6px,#fff 6px,#fff 12px)}
            .fault{position:absolute;top:0;bottom:0;border-left:2px dashed #6a1b9a;z-index:3}
            .fault span{position:absolute;top:2px;left:2px;color:#6a1b9a;font-size:11px;white-space:nowrap}
            .faults{height:18px}.axis{position:relative;height:18px}
            .tick{position:absolute;top:0;font-size:10px;color:#666;border-left:1px solid #999;padding-left:2px}
            table{border-collapse:collapse;margin-top:20px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
            tr.violating td{background:#ffcdd2}tr.failing td{background:#fdecee}pre{background:#f5f5f5;padding:8px}
            """;

    /** How many timelines a folder keeps: older ones are deleted when a new one is written. */
    static final int KEPT = 20;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private Timeline() {}

    /** Writes the timeline of {@code history} (with {@code result}'s verdict, if any) into {@code dir}; returns its path. */
    public static <I, O> Path write(Path dir, History<I, O> history, Result<I, O> result) {
        return write(dir, history, result, null, history.startedAt());
    }

    /**
     * Throws an {@link AssertionFailedError} unless {@code result} is linearizable; its message holds
     * the checker's report, {@code Timeline: <absolute path>} of the timeline written into
     * {@code dir}, and the hint. Times on the timeline count from {@code origin} (the start of the
     * run's log, so that they match {@code clstr logs}).
     */
    public static <I, O> void assertLinearizable(
            Path dir,
            History<I, O> history,
            Model<?, I, O> model,
            Result<I, O> result,
            Instant origin,
            List<String> hint) {
        if (result.isLinearizable()) {
            return;
        }
        String report = result.report(model);
        Path path = write(dir, history, result, report, origin).toAbsolutePath();
        System.out.println("Timeline: " + path);
        Failure failure = Failure.of("history is not shown linearizable: " + report)
                .note(when(history, result, origin))
                .note("Timeline: " + path);
        if (!hint.isEmpty()) {
            failure.hint(hint.get(0), hint.subList(1, hint.size()).toArray(String[]::new));
        }
        throw failure.error();
    }

    /**
     * Throws an {@link AssertionFailedError} when {@code violations} is not empty: its message lists
     * each violation, {@code Timeline: <absolute path>} of the timeline written into {@code dir}
     * (the violations' operations marked) and the hint. Times count from {@code origin}.
     */
    public static <I, O> void assertNoViolations(
            Path dir, History<I, O> history, List<Violation> violations, Instant origin, List<String> hint) {
        if (violations.isEmpty()) {
            return;
        }
        Set<String> properties = new LinkedHashSet<>();
        violations.forEach(v -> properties.add(v.property()));
        StringBuilder report = new StringBuilder();
        violations.stream().limit(REPORTED).forEach(v -> report.append("\n  - ").append(v));
        if (violations.size() > REPORTED) {
            report.append("\n  - and ").append(violations.size() - REPORTED).append(" more (see the timeline)");
        }
        Map<Integer, String> byId = new HashMap<>();
        violations.forEach(v -> v.entries().forEach(id -> byId.put(id, "violating")));
        Map<String, String> marks = new HashMap<>();
        history.entries().stream()
                .filter(e -> byId.containsKey(e.id()))
                .forEach(e -> marks.put(key(e.clientId(), e.input(), e.callNanos()), "violating"));
        String title = violations.size()
                + (violations.size() == 1 ? " violation of " : " violations of ")
                + String.join(", ", properties);
        StringBuilder all = new StringBuilder();
        violations.forEach(v -> all.append(v).append('\n'));
        Page page = new Page(title, false, marks, LEGEND_VIOLATIONS, all.toString());
        Path path = write(dir, history, page, origin).toAbsolutePath();
        System.out.println("Timeline: " + path);
        Failure failure = Failure.of("the history breaks " + String.join(", ", properties) + ":" + report)
                .note("Timeline: " + path);
        if (!hint.isEmpty()) {
            failure.hint(hint.get(0), hint.subList(1, hint.size()).toArray(String[]::new));
        }
        throw failure.error();
    }

    /**
     * When the violation happened relative to the faults: before any fault (so the server breaks
     * linearizability in normal operation) or after which one. {@code origin} is the time base
     * of the run's log.
     */
    static <I, O> String when(History<I, O> history, Result<I, O> result, Instant origin) {
        long first = result.stuck().stream()
                .mapToLong(op -> op.callNanos())
                .min()
                .orElse(result.failingPart().stream()
                        .mapToLong(op -> op.callNanos())
                        .min()
                        .orElse(0));
        List<Fault> faults = history.faults();
        Fault before = null;
        for (Fault f : faults) {
            if (f.nanos() <= first) {
                before = f;
            }
        }
        if (before == null) {
            return "When: before any fault. No crash or partition is needed to show it: look for reads served by a "
                    + "follower or by a leader that was replaced, or writes answered before they committed.";
        }
        Clock clock = new Clock(Duration.between(origin, history.startedAt()).toNanos());
        return "When: after " + before.text() + " at " + clock.at(before.nanos())
                + " (the last fault before it): look at what your nodes did then; clstr logs shows both on one timeline.";
    }

    /** How many violations a failure message lists; the timeline's report has them all. */
    static final int REPORTED = 10;

    private static final String LEGEND_LINEARIZABILITY =
            "Solid red: operations none of which could come next after the longest order "
                    + "the checker found; dashed red: the rest of the smallest failing part.";

    private static final String LEGEND_VIOLATIONS = "Solid red: the operations that show a violation.";

    /** What a page shows besides the history: its title, whether it is good news, marked operations, the report. */
    private record Page(String title, boolean good, Map<String, String> marks, String legend, String report) {

        static Page of(Result<?, ?> result, String report) {
            return new Page(
                    result == null ? "history" : result.verdict().toString(),
                    result == null || result.isLinearizable(),
                    Timeline.marks(result),
                    LEGEND_LINEARIZABILITY,
                    report);
        }
    }

    private static <I, O> Path write(
            Path dir, History<I, O> history, Result<I, O> result, String report, Instant origin) {
        return write(dir, history, Page.of(result, report), origin);
    }

    private static <I, O> Path write(Path dir, History<I, O> history, Page page, Instant origin) {
        try {
            Files.createDirectories(dir);
            String stamp = LocalDateTime.now().format(STAMP);
            Path path = Files.createTempFile(dir, "timeline-" + stamp + "-", ".html");
            Files.writeString(path, html(history, page, origin), StandardCharsets.UTF_8);
            prune(dir, path);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the timeline into " + dir, e);
        }
    }

    /** Deletes the oldest timelines of {@code dir} beyond the newest {@value #KEPT}, never {@code keep}. */
    private static void prune(Path dir, Path keep) throws IOException {
        List<Path> timelines;
        try (Stream<Path> files = Files.list(dir)) {
            timelines = files.filter(p -> p.getFileName().toString().matches("timeline-.*\\.html"))
                    .sorted(Comparator.comparing(Timeline::modified)
                            .reversed()
                            .thenComparing(Comparator.reverseOrder()))
                    .toList();
        }
        for (Path old : timelines.subList(Math.min(KEPT, timelines.size()), timelines.size())) {
            if (!old.equals(keep)) {
                Files.deleteIfExists(old);
            }
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    /** The HTML page of the timeline. */
    static <I, O> String html(History<I, O> history, Result<I, O> result, String report) {
        return html(history, result, report, history.startedAt());
    }

    static <I, O> String html(History<I, O> history, Result<I, O> result, String report, Instant origin) {
        return html(history, Page.of(result, report), origin);
    }

    private static <I, O> String html(History<I, O> history, Page page, Instant origin) {
        Clock clock = new Clock(Duration.between(origin, history.startedAt()).toNanos());
        List<Entry<I, O>> entries = history.entries();
        List<Fault> faults = history.faults();
        long end = Math.max(1, history.elapsedNanos());
        Map<String, String> marks = page.marks();
        String verdict = page.title();
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(esc("clstr timeline: " + verdict))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body>\n<h1 class=\"")
                .append(page.good() ? "good" : "bad")
                .append("\">")
                .append(esc(verdict))
                .append("</h1>\n<p>")
                .append(entries.size())
                .append(" operations, ")
                .append(faults.size())
                .append(" faults, ")
                .append(ms(end))
                .append(" ms; times as in clstr logs, from the start of the run</p>\n");
        if (!marks.isEmpty()) {
            out.append("<p class=\"legend\">").append(esc(page.legend())).append("</p>\n");
        }
        out.append("<div class=\"chart\">\n<div class=\"faults\"></div>\n");
        for (int client : clients(entries)) {
            out.append("<div class=\"lane\" data-client=\"")
                    .append(client)
                    .append("\"><span class=\"lane-name\">client ")
                    .append(client)
                    .append("</span>\n");
            for (Entry<I, O> e : entries) {
                if (e.clientId() == client) {
                    bar(out, e, end, mark(e, marks), clock);
                }
            }
            out.append("</div>\n");
        }
        out.append("<div class=\"axis\">");
        for (int i = 0; i < 5; i++) {
            long at = end * i / 5;
            out.append("<span class=\"tick\" style=\"left:")
                    .append(pct(at, end))
                    .append("%\">")
                    .append(clock.at(at))
                    .append("</span>");
        }
        out.append("</div>\n");
        for (Fault f : faults) {
            out.append("<div class=\"fault\" style=\"left:")
                    .append(pct(f.nanos(), end))
                    .append("%\" title=\"")
                    .append(esc(clock.at(f.nanos()) + ": " + f.text()))
                    .append("\"><span>")
                    .append(esc(f.text()))
                    .append("</span></div>\n");
        }
        out.append("</div>\n");
        table(out, entries, marks, clock);
        if (page.report() != null) {
            out.append("<h2>Checker report</h2>\n<pre>")
                    .append(esc(page.report()))
                    .append("</pre>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    /** The label of an operation: its input and its result. */
    static String label(Entry<?, ?> e) {
        String result =
                switch (e.completion()) {
                    case OK -> e.output() == null ? "ok" : "\"" + e.output() + "\"";
                    case FAIL -> "fail";
                    case INFO -> "info";
                    case PENDING -> "pending";
                };
        return e.input() + " → " + result;
    }

    /**
     * For a violation, the class of each operation of the failing part by {@link #key}: "violating"
     * for those that could not come next, "failing" for the rest. Empty otherwise.
     */
    private static Map<String, String> marks(Result<?, ?> result) {
        Map<String, String> marks = new HashMap<>();
        if (result != null && !result.isLinearizable()) {
            result.failingPart().forEach(op -> marks.put(key(op.clientId(), op.input(), op.callNanos()), "failing"));
            result.stuck().forEach(op -> marks.put(key(op.clientId(), op.input(), op.callNanos()), "violating"));
        }
        return marks;
    }

    /** The class that marks {@code e}, or "" when it is not part of a violation. */
    private static String mark(Entry<?, ?> e, Map<String, String> marks) {
        return marks.getOrDefault(key(e.clientId(), e.input(), e.callNanos()), "");
    }

    /** Which node served an operation: {@code n1}, {@code n2 → n1} after a redirect, {@code n2 (no answer)}. */
    static String served(Entry<?, ?> e) {
        if (e.sentTo() == null) {
            return "";
        }
        if (e.servedBy() == null) {
            return e.sentTo() + " (no answer)";
        }
        return e.sentTo().equals(e.servedBy()) ? e.sentTo() : e.sentTo() + " → " + e.servedBy();
    }

    /** Times as {@code clstr logs} prints them: {@code +12.345s} from the start of the run. */
    private record Clock(long offsetNanos) {
        String at(long nanos) {
            long micros = (offsetNanos + nanos) / 1_000;
            return String.format(Locale.ROOT, "+%d.%03ds", micros / 1_000_000, (micros / 1_000) % 1_000);
        }
    }

    private static void bar(StringBuilder out, Entry<?, ?> e, long end, String mark, Clock clock) {
        long ret = e.isOpen() ? end : e.returnNanos();
        double left = pct(e.callNanos(), end);
        double width = Math.max(0, pct(ret, end) - left);
        String times = clock.at(e.callNanos()) + " – " + (e.isOpen() ? "open" : clock.at(e.returnNanos()));
        String node = served(e).isEmpty() ? "" : " on " + served(e);
        out.append("  <div class=\"op ")
                .append(e.completion().name().toLowerCase(Locale.ROOT))
                .append(mark.isEmpty() ? "" : " " + mark)
                .append("\" style=\"left:")
                .append(left)
                .append("%;width:")
                .append(width)
                .append("%\" title=\"")
                .append(esc(label(e) + node + " (" + times + ")"))
                .append("\">")
                .append(esc(label(e) + node))
                .append("</div>\n");
    }

    private static void table(
            StringBuilder out, List<? extends Entry<?, ?>> entries, Map<String, String> marks, Clock clock) {
        out.append("<table><tr><th>#</th><th>client</th><th>call</th><th>return</th><th>node</th><th>operation</th>"
                + "<th>completion</th></tr>\n");
        for (Entry<?, ?> e : entries) {
            String mark = mark(e, marks);
            out.append("<tr")
                    .append(mark.isEmpty() ? "" : " class=\"" + mark + "\"")
                    .append("><td>")
                    .append(e.id())
                    .append("</td><td>")
                    .append(e.clientId())
                    .append("</td><td>")
                    .append(clock.at(e.callNanos()))
                    .append("</td><td>")
                    .append(e.isOpen() ? "open" : clock.at(e.returnNanos()))
                    .append("</td><td>")
                    .append(esc(served(e)))
                    .append("</td><td>")
                    .append(esc(label(e)))
                    .append("</td><td>")
                    .append(e.completion().name().toLowerCase(Locale.ROOT))
                    .append("</td></tr>\n");
        }
        out.append("</table>\n");
    }

    private static String key(int client, Object input, long call) {
        return client + "/" + call + "/" + input;
    }

    private static Set<Integer> clients(List<? extends Entry<?, ?>> entries) {
        Set<Integer> clients = new TreeSet<>();
        entries.forEach(e -> clients.add(e.clientId()));
        return clients;
    }

    private static double pct(long nanos, long end) {
        return Math.round(Math.min(nanos, end) * 100_000.0 / end) / 1000.0;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** {@code text} escaped for HTML text and attribute values. */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
