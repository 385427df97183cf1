package io.clstr.cli;

import io.clstr.cli.run.RunResult;
import io.clstr.cli.text.Printer;
import io.clstr.cli.text.Terminal;
import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.config.ClstrYaml;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clstr next}: tests the current stage again and, when it passes, moves clstr.yaml on to the next. */
@Command(
        name = "next",
        aliases = "n",
        mixinStandardHelpOptions = true,
        description = "Test the current stage again and, when it passes, unlock the next one.",
        footer = {"", "Only the stage: line of clstr.yaml changes; its comments stay."})
final class NextCommand implements Callable<Integer> {

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws InterruptedException {
        Workspace ws = Workspace.open(root.folder());
        StageInfo current = ws.current();
        Terminal terminal = root.context().terminal();
        Printer out = new Printer(spec.commandLine().getOut());
        RunResult result = TestRun.execute(ws, List.of(current), options, terminal, out);
        if (!result.passed()) {
            return result.exitCode();
        }
        ws.notePassed(current);
        Optional<StageInfo> next = ws.after(current);
        out.blank();
        if (next.isEmpty()) {
            out.line(terminal.green("Congratulations!") + " You have passed every stage of "
                    + ws.challenge().name() + ".");
            return ExitCode.OK;
        }
        ClstrYaml.writeStage(ws.folder(), next.get().key());
        out.line("Unlocked stage " + (ws.indexOf(next.get()) + 1) + " of "
                + ws.stages().size() + ": "
                + terminal.bold(next.get().key() + ": " + next.get().title()));
        out.line("Read its guide: clstr guide " + next.get().key() + " · Then run clstr test.");
        return ExitCode.OK;
    }
}
