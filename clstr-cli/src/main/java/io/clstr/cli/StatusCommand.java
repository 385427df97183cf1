package io.clstr.cli;

import io.clstr.cli.text.Terminal;
import io.clstr.junit.StageInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clstr status}: the challenge's stages as done, current or ahead, and the guide to read. */
@Command(
        name = "status",
        aliases = "s",
        mixinStandardHelpOptions = true,
        description = "Show the stages done (✓), current (→) and ahead (·).")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Workspace ws = Workspace.open(root.folder());
        Terminal t = root.context().terminal();
        PrintWriter out = spec.commandLine().getOut();
        List<StageInfo> stages = ws.stages();
        boolean finished = ws.finished();
        int current = finished ? stages.size() : ws.indexOf(ws.current());
        int width = stages.stream().mapToInt(s -> s.key().length()).max().orElse(0);
        out.println(t.bold(ws.challenge().name()) + " (" + ws.challenge().key() + ")");
        out.println();
        for (int i = 0; i < stages.size(); i++) {
            String mark = i < current ? t.green("✓") : i == current ? t.yellow("→") : t.dim("·");
            String line = String.format(
                    Locale.ROOT,
                    "%-" + width + "s  %s",
                    stages.get(i).key(),
                    stages.get(i).title());
            out.println(mark + " " + (i == current ? t.bold(line) : i > current ? t.dim(line) : line));
        }
        out.println();
        if (finished) {
            out.println("All " + stages.size() + " stages passed. Run them all again: clstr test --so-far");
        } else {
            out.println("Stage " + (current + 1) + " of " + stages.size() + ". Guide: clstr guide "
                    + ws.current().key());
            out.println("Test it: clstr test · When it passes: clstr next");
        }
        out.flush();
        return ExitCode.OK;
    }
}
