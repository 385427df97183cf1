package io.clstr.junit.internal.log;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clstr.junit.internal.Background;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The log of one run: a JSON-lines file per node ({@code n1.jsonl}…) with what the node
 * printed and its lifecycle events, plus {@code cluster.jsonl} for cluster-wide events.
 * Each line is {@code {"time": ISO-8601, "node": name, "message"|"event": text}}.
 * Thread-safe; lines are flushed as they are written so a crash loses nothing.
 *
 * <p>A node's printed output is capped at {@link #OUTPUT_CAP} bytes per file: the first half is
 * written as it comes, then only the last half is kept (in memory, written when the log closes),
 * with a line saying how many lines were dropped where they were. A server
 * that prints without end can fill neither the disk nor the heap; its events are all kept.
 */
public final class RunLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bytes of printed output kept per node file: half from its start, half from its end. */
    public static final long OUTPUT_CAP = 32L << 20;

    /** What a line costs in the file beyond its text: the JSON around it. */
    private static final int LINE_OVERHEAD = 80;

    private final Path dir;
    private final long outputCap;
    private final Map<String, NodeFile> files = new HashMap<>();
    private final List<Consumer<String>> faultListeners = new CopyOnWriteArrayList<>();
    private boolean closed;
    /** The writing of nodes.json under way or done ({@link #nodes}). */
    private Background nodesWritten = Background.NONE;

    private Instant firstTime;

    private RunLog(Path dir, long outputCap) {
        this.dir = dir;
        this.outputCap = outputCap;
    }

    /** Starts a fresh log in {@code dir}, removing the previous run's files. */
    public static RunLog create(Path dir) {
        return create(dir, OUTPUT_CAP);
    }

    /** {@link #create(Path)} with another cap on each node's printed output, in bytes. */
    static RunLog create(Path dir, long outputCap) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    if (p.getFileName().toString().endsWith(".jsonl")
                            || p.getFileName().toString().equals(NODES)) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare log folder " + dir, e);
        }
        return new RunLog(dir, outputCap);
    }

    public Path dir() {
        return dir;
    }

    /** Records a line that {@code node} printed. */
    public void output(String node, String message) {
        write(node, "message", message);
    }

    /** Records a lifecycle event of one node, such as {@code KILL}. */
    public void event(String node, String event) {
        write(node, "event", event);
    }

    /** Records a cluster-wide event, such as {@code PARTITION HEALED} or {@code TEST: name}. */
    public void event(String event) {
        write(LogEntry.CLUSTER, "event", event);
    }

    /** Records a fault that {@code node} suffered, such as {@code KILL}: an event that fault listeners also hear. */
    public void fault(String node, String fault) {
        event(node, fault);
        faultListeners.forEach(l -> l.accept(node + " " + fault));
    }

    /** Records a cluster-wide fault, such as {@code PARTITION HEALED}: an event that fault listeners also hear. */
    public void fault(String fault) {
        event(fault);
        faultListeners.forEach(l -> l.accept(fault));
    }

    /**
     * Calls {@code listener} with the text of every fault recorded from now on ({@code n3 KILL},
     * {@code PARTITION HEALED}), on the thread that records it.
     */
    public void onFault(Consumer<String> listener) {
        faultListeners.add(listener);
    }

    /**
     * Writes {@code nodes.json}: each node's name, ADDR and its routes to the others (how it
     * reaches them: through a proxy), which {@code clstr logs} prints first. The file is written
     * on another thread, while the nodes start (writing waits on the disk, and nothing in the run
     * reads it); {@link #close()} waits for it and throws what writing it threw.
     */
    public synchronized void nodes(List<NodeRow> rows) {
        List<NodeRow> copy = List.copyOf(rows);
        nodesWritten = Background.start(() -> {
            try {
                Files.writeString(dir.resolve(NODES), nodesJson(copy));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir.resolve(NODES), e);
            }
        });
    }

    /**
     * Renders one node row and one timeline line as this log writes them, writing nothing: the
     * first log of the JVM then finds Jackson's serializers built ({@code Warmup}).
     */
    public static void renderSample() {
        try {
            nodesJson(List.of(new NodeRow("n1", "127.0.0.1:1", Map.of("n2", "127.0.0.1:2"))));
            line(Instant.now(), LogEntry.CLUSTER, "event", "sample");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nodesJson(List<NodeRow> rows) throws JsonProcessingException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows);
    }

    /** {@code {"time":…,"node":…,"<field>":…}}, written as a stream: no tree to build first, on every line. */
    private static String line(Instant time, String node, String field, String text) throws IOException {
        StringWriter out = new StringWriter(48 + node.length() + field.length() + text.length());
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", time.toString());
            json.writeStringField("node", node);
            json.writeStringField(field, text);
            json.writeEndObject();
        }
        return out.toString();
    }

    /** The event that ends a cluster's log, once every node is stopped: {@code clstr logs -f} stops there. */
    public static final String ENDED = "CLUSTER ENDED";

    /** The file {@link #nodes} writes. */
    public static final String NODES = "nodes.json";

    /**
     * One node of the run, for {@code nodes.json}.
     *
     * @param node   its name
     * @param addr   its ADDR
     * @param routes the route it uses to each other node, by that node's name
     */
    public record NodeRow(String node, String addr, Map<String, String> routes) {}

    /** The rows {@link #nodes} wrote in {@code dir}, or none. */
    public static List<NodeRow> readNodes(Path dir) {
        Path file = dir.resolve(NODES);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return List.of(JSON.readValue(file.toFile(), NodeRow[].class));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The time of the run's first entry, which {@code clstr logs} counts from (now when nothing is
     * written yet).
     */
    public synchronized Instant started() {
        return firstTime != null ? firstTime : Instant.now();
    }

    private synchronized void write(String node, String field, String text) {
        if (closed) {
            return;
        }
        Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (firstTime == null) {
            firstTime = time;
        }
        try {
            NodeFile file = files.get(node);
            if (file == null) {
                file = new NodeFile(
                        node, Files.newBufferedWriter(dir.resolve(node + ".jsonl"), StandardCharsets.UTF_8));
                files.put(node, file);
            }
            file.add(time, field, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (NodeFile file : files.values()) {
            try {
                file.close();
            } catch (IOException ignored) {
                // the log is best effort once the run is over
            }
        }
        files.clear();
        nodesWritten.await();
    }

    /**
     * One node's file: its output written as it comes until half the cap is used, then held back
     * (with the node's events, which are never dropped) and trimmed from the front to the other
     * half, and written when the log closes.
     */
    private final class NodeFile {
        private record Held(Instant time, String field, String text) {}

        private final String node;
        private final BufferedWriter writer;
        /** The held tail, output and events in order. */
        private final ArrayDeque<Held> tail = new ArrayDeque<>();
        /** Events trimmed off the tail's front, and where the dropped output was (a null text). */
        private final List<Held> kept = new ArrayList<>();

        private long headBytes;
        private long tailBytes;
        private long droppedLines;
        private long droppedBytes;

        NodeFile(String node, BufferedWriter writer) {
            this.node = node;
            this.writer = writer;
        }

        void add(Instant time, String field, String text) throws IOException {
            boolean output = field.equals("message");
            if (tail.isEmpty() && kept.isEmpty() && (!output || headBytes + cost(text) <= outputCap / 2)) {
                if (output) {
                    headBytes += cost(text);
                }
                write(time, field, text);
                return;
            }
            tail.addLast(new Held(time, field, text));
            tailBytes += cost(text);
            while (tailBytes > outputCap / 2 && !tail.isEmpty()) {
                Held first = tail.removeFirst();
                tailBytes -= cost(first.text());
                if (!first.field().equals("message")) {
                    kept.add(first);
                    continue;
                }
                if (droppedLines == 0) {
                    kept.add(new Held(first.time(), "event", null));
                }
                droppedLines++;
                droppedBytes += cost(first.text());
            }
        }

        /** Writes what is held, with a line that says how much output was dropped where it was. */
        void close() throws IOException {
            for (Held held : kept) {
                write(held.time(), held.field(), held.text() != null ? held.text() : dropped());
            }
            for (Held held : tail) {
                write(held.time(), held.field(), held.text());
            }
            writer.close();
        }

        private String dropped() {
            return String.format(
                    Locale.ROOT,
                    "OUTPUT DROPPED: %d lines (%.1f MB) that %s printed here are not kept: the log keeps the first "
                            + "and the last %d MB of each node's output",
                    droppedLines,
                    droppedBytes / 1e6,
                    node,
                    outputCap / 2 / (1 << 20));
        }

        private void write(Instant time, String field, String text) throws IOException {
            writer.write(line(time, node, field, text));
            writer.write('\n');
            writer.flush();
        }

        private static long cost(String text) {
            return (long) text.length() + LINE_OVERHEAD;
        }
    }

    /**
     * Reads every {@code .jsonl} file in {@code dir} and returns the entries ordered by time
     * (stable: entries of one file keep their order). Lines that are not valid entries are skipped.
     * For tests and small logs: {@link #merge} streams.
     */
    public static List<LogEntry> read(Path dir) throws IOException {
        List<LogEntry> all = new ArrayList<>();
        try (Merge merge = merge(dir)) {
            for (LogEntry e = merge.next(); e != null; e = merge.next()) {
                all.add(e);
            }
        }
        return all;
    }

    /**
     * The entries of every {@code .jsonl} file in {@code dir} merged by time, one at a time: each
     * file is in time order already, so the merge holds one line per file, never a whole log.
     */
    public static Merge merge(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                paths = s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                        .sorted()
                        .toList();
            }
        }
        return new Merge(paths);
    }

    /** A merge of log files by time; {@link #next()} is null at the end of every file (more may come later). */
    public static final class Merge implements AutoCloseable {
        private record Head(LogEntry entry, int file) {}

        private final List<BufferedReader> readers = new ArrayList<>();
        private final List<Path> paths;
        private final PriorityQueue<Head> heads = new PriorityQueue<>(
                Comparator.comparing((Head h) -> h.entry().time()).thenComparingInt(Head::file));
        private final boolean[] waiting;

        private Merge(List<Path> paths) throws IOException {
            this.paths = List.copyOf(paths);
            this.waiting = new boolean[paths.size()];
            for (int i = 0; i < paths.size(); i++) {
                readers.add(Files.newBufferedReader(paths.get(i), StandardCharsets.UTF_8));
                advance(i);
            }
        }

        /** The file names merged ({@code n1.jsonl}...). */
        public List<Path> paths() {
            return paths;
        }

        /**
         * The next entry by time, or null when every file is read to its end. A file that
         * reached its end is read again on the next call (for following a running test).
         */
        public LogEntry next() throws IOException {
            for (int i = 0; i < waiting.length; i++) {
                if (waiting[i]) {
                    advance(i);
                }
            }
            Head head = heads.poll();
            if (head == null) {
                return null;
            }
            advance(head.file());
            return head.entry();
        }

        private void advance(int file) throws IOException {
            waiting[file] = false;
            for (String raw = readers.get(file).readLine();
                    ;
                    raw = readers.get(file).readLine()) {
                if (raw == null) {
                    waiting[file] = true;
                    return;
                }
                LogEntry e = parse(raw);
                if (e != null) {
                    heads.add(new Head(e, file));
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            for (BufferedReader r : readers) {
                r.close();
            }
        }
    }

    private static LogEntry parse(String raw) {
        try {
            JsonNode n = JSON.readTree(raw);
            if (n == null || !n.hasNonNull("time") || !n.hasNonNull("node")) {
                return null;
            }
            return new LogEntry(
                    Instant.parse(n.get("time").asText()),
                    n.get("node").asText(),
                    n.hasNonNull("message") ? n.get("message").asText() : null,
                    n.hasNonNull("event") ? n.get("event").asText() : null);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
