package io.clstr.cli;

import io.clstr.cli.text.LogFormatter;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.log.LogEntry;
import io.clstr.junit.internal.log.RunLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code clstr logs [node...]}: the last run's log as one timeline. Without a run to show it
 * exits with 2, saying to run {@code clstr test} first.
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Show the last run's nodes and events (***) on one timeline.",
        footer = {
            "",
            "Times are relative to the run's first entry; cluster events are always shown.",
            "Exits with 2 when there is no run yet."
        })
final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<node>", arity = "0..*", description = "Only these nodes (such as n1 n3).")
    List<String> nodes = new ArrayList<>();

    @Override
    public Integer call() {
        Workspace ws = Workspace.open(root.folder());
        Path dir = ws.dotClstr().resolve("logs");
        List<LogEntry> entries;
        try {
            entries = RunLog.read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the logs in " + dir, e);
        }
        if (entries.isEmpty()) {
            throw new SetupException("no run yet: run clstr test first (logs are kept in "
                    + ws.folder().relativize(dir) + ")");
        }
        Set<String> known = new TreeSet<>();
        entries.forEach(e -> known.add(e.node()));
        Set<String> wanted = new LinkedHashSet<>(nodes);
        for (String node : wanted) {
            if (!known.contains(node)) {
                known.remove(LogEntry.CLUSTER);
                throw new SetupException(
                        "no node `" + node + "` in the last run: its nodes are " + String.join(", ", known));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        new LogFormatter(root.context().terminal()).format(entries, wanted).forEach(out::println);
        out.flush();
        return ExitCode.OK;
    }
}
