package io.clstr.cli.text;

import io.clstr.junit.internal.log.LogEntry;
import io.clstr.junit.internal.log.RunLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Formats a run's log as one timeline: {@code +12.345s  n1       message}, times relative to
 * the run's first entry, events marked {@code ***}. Cluster events are always shown, even when
 * the timeline is narrowed to some nodes.
 */
public final class LogFormatter {
    private final Terminal terminal;

    public LogFormatter(Terminal terminal) {
        this.terminal = terminal;
    }

    /**
     * The lines for {@code entries} (ordered by time), keeping only {@code nodes} and cluster
     * events when {@code nodes} is not empty.
     */
    public List<String> format(List<LogEntry> entries, Set<String> nodes) {
        if (entries.isEmpty()) {
            return List.of();
        }
        Instant start = entries.get(0).time();
        List<LogEntry> shown = entries.stream()
                .filter(e -> nodes.isEmpty() || nodes.contains(e.node()) || LogEntry.CLUSTER.equals(e.node()))
                .toList();
        int width = shown.stream().mapToInt(e -> e.node().length()).max().orElse(0);
        List<String> lines = new ArrayList<>(shown.size());
        for (LogEntry e : shown) {
            lines.add(line(start, e, width));
        }
        return lines;
    }

    /** One entry's line, its time counted from {@code start}, its node padded to {@code width}. */
    public String line(Instant start, LogEntry e, int width) {
        String time = terminal.dim(offset(start, e.time()));
        String node = String.format(Locale.ROOT, "%-" + width + "s", e.node());
        return time + "  " + (e.isEvent() ? terminal.bold(node) : node) + "  " + text(e);
    }

    /**
     * The run's nodes, before its timeline: {@code n1  127.0.0.1:20001  → n2 via 127.0.0.1:21002, ...};
     * nothing when the run recorded none.
     */
    public List<String> table(List<RunLog.NodeRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        int nameWidth = Math.max(
                "node".length(),
                rows.stream().mapToInt(r -> r.node().length()).max().orElse(0));
        int addrWidth = Math.max(
                "ADDR".length(),
                rows.stream().mapToInt(r -> r.addr().length()).max().orElse(0));
        List<String> lines = new ArrayList<>();
        lines.add(terminal.bold(String.format(
                Locale.ROOT,
                "%-" + nameWidth + "s  %-" + addrWidth + "s  %s",
                "node",
                "ADDR",
                "routes to the others")));
        for (RunLog.NodeRow r : rows) {
            List<String> routes = new ArrayList<>();
            r.routes().forEach((to, via) -> routes.add(to + " via " + via));
            lines.add(String.format(
                    Locale.ROOT,
                    "%-" + nameWidth + "s  %-" + addrWidth + "s  %s",
                    r.node(),
                    r.addr(),
                    routes.isEmpty() ? "-" : String.join(", ", routes)));
        }
        lines.add("");
        return lines;
    }

    private String text(LogEntry e) {
        if (!e.isEvent()) {
            return e.message() == null ? "" : e.message();
        }
        String marked = "*** " + e.event();
        return LogEntry.CLUSTER.equals(e.node()) ? terminal.cyan(marked) : terminal.yellow(marked);
    }

    /** {@code +12.345s}, padded so that times up to 9999 s line up. */
    static String offset(Instant start, Instant time) {
        long micros = Duration.between(start, time).toNanos() / 1_000;
        return String.format(
                Locale.ROOT,
                "%10s",
                String.format(Locale.ROOT, "+%d.%03ds", micros / 1_000_000, (micros / 1_000) % 1_000));
    }
}
