package io.clstr.cli;

import io.clstr.cli.text.LogFormatter;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.log.LogEntry;
import io.clstr.junit.internal.log.RunLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code clstr logs [node...]}: a stage's last run as one timeline, after a table of its nodes
 * (ADDR and routes). Each stage keeps its last run's logs ({@code .clstr/logs/<stage>}); without
 * {@code --stage} the most recent run is shown. Files are streamed and merged by time, never read
 * whole. Without a run to show it exits with 2, saying to run {@code clstr test} first.
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Show a run's nodes and events (***) on one timeline.",
        footer = {
            "",
            "Times are relative to the run's first entry, as on the HTML timelines; cluster events are always shown.",
            "Exits with 2 when there is no run yet."
        })
final class LogsCommand implements Callable<Integer> {

    private static final Duration FOLLOW_POLL = Duration.ofMillis(200);

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<node>", arity = "0..*", description = "Only these nodes (such as n1 n3).")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--node", paramLabel = "<node>", description = "Only this node (repeatable), as <node>.")
    List<String> nodeOptions = new ArrayList<>();

    @Option(
            names = "--stage",
            paramLabel = "<stage>",
            description = "The stage whose last run to show (default: the latest run).")
    String stage;

    @Option(
            names = {"-n", "--lines"},
            paramLabel = "<N>",
            description = "Only the last N lines.")
    Integer lines;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new lines while the run goes on; stops when its cluster ends (or Ctrl-C).")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        Workspace ws = Workspace.open(root.folder());
        Path dir = runDir(ws);
        if (lines != null && lines < 0) {
            throw new SetupException("-n wants a number of lines, 0 or more; was " + lines);
        }
        List<RunLog.NodeRow> rows = RunLog.readNodes(dir);
        Set<String> known = new TreeSet<>();
        rows.forEach(r -> known.add(r.node()));
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jsonl"))
                    .map(n -> n.substring(0, n.length() - ".jsonl".length()))
                    .filter(n -> !n.equals(LogEntry.CLUSTER))
                    .forEach(known::add);
        }
        Set<String> wanted = new LinkedHashSet<>(nodes);
        wanted.addAll(nodeOptions);
        for (String node : wanted) {
            if (!known.contains(node)) {
                throw new SetupException(
                        "no node `" + node + "` in the last run: its nodes are " + String.join(", ", known));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        LogFormatter formatter = new LogFormatter(root.context().terminal());
        formatter.table(rows).forEach(out::println);
        int width = Stream.concat(known.stream(), Stream.of(LogEntry.CLUSTER))
                .mapToInt(String::length)
                .max()
                .orElse(0);
        boolean ended = false;
        try (RunLog.Merge merge = RunLog.merge(dir)) {
            Deque<String> last = new ArrayDeque<>();
            LogEntry first = null;
            for (LogEntry e = merge.next(); e != null; e = merge.next()) {
                first = first == null ? e : first;
                ended |= isEnd(e);
                if (shown(e, wanted)) {
                    last.add(formatter.line(first.time(), e, width));
                    if (lines != null && last.size() > lines) {
                        last.removeFirst();
                    } else if (lines == null) {
                        out.println(last.removeFirst());
                    }
                }
            }
            last.forEach(out::println);
            out.flush();
            while (follow && !ended) {
                Deadline.sleep(FOLLOW_POLL, "new lines of the run");
                for (LogEntry e = merge.next(); e != null; e = merge.next()) {
                    first = first == null ? e : first;
                    ended |= isEnd(e);
                    if (shown(e, wanted)) {
                        out.println(formatter.line(first.time(), e, width));
                    }
                }
                out.flush();
            }
        }
        return ExitCode.OK;
    }

    private static boolean isEnd(LogEntry e) {
        return LogEntry.CLUSTER.equals(e.node()) && RunLog.ENDED.equals(e.event());
    }

    private static boolean shown(LogEntry e, Set<String> wanted) {
        return wanted.isEmpty() || wanted.contains(e.node()) || LogEntry.CLUSTER.equals(e.node());
    }

    /** {@code .clstr/logs/<stage>}, or the folder of the most recent run. */
    private Path runDir(Workspace ws) throws IOException {
        Path logs = ws.dotClstr().resolve("logs");
        List<Path> runs = new ArrayList<>();
        if (Files.isDirectory(logs)) {
            try (Stream<Path> s = Files.list(logs)) {
                s.filter(Files::isDirectory).filter(LogsCommand::hasEntries).forEach(runs::add);
            }
        }
        if (runs.isEmpty()) {
            throw new SetupException("no run yet: run clstr test first (logs are kept in "
                    + ws.folder().relativize(logs) + ")");
        }
        if (stage != null) {
            Path wanted = logs.resolve(stage);
            if (!runs.contains(wanted)) {
                throw new SetupException("no run of stage `" + stage + "` yet; the stages with logs are "
                        + String.join(
                                ", ",
                                runs.stream()
                                        .map(p -> p.getFileName().toString())
                                        .sorted()
                                        .toList()));
            }
            return wanted;
        }
        return runs.stream().max(Comparator.comparing(LogsCommand::lastWritten)).orElseThrow();
    }

    private static boolean hasEntries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".jsonl"));
        } catch (IOException e) {
            return false;
        }
    }

    private static FileTime lastWritten(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> {
                        try {
                            return Files.getLastModifiedTime(p);
                        } catch (IOException e) {
                            return FileTime.fromMillis(0);
                        }
                    })
                    .max(Comparator.naturalOrder())
                    .orElse(FileTime.fromMillis(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }
}
