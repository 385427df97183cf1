package io.clstr.cli;

import io.clstr.cli.text.MarkdownRenderer;
import io.clstr.junit.SetupException;
import io.clstr.junit.StageInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clstr guide [stage]}: a stage's guide (default: the current stage), rendered for the terminal. */
@Command(
        name = "guide",
        mixinStandardHelpOptions = true,
        description = "Show a stage's guide (default: your current stage).")
final class GuideCommand implements Callable<Integer> {

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<stage>", description = "The stage whose guide to show.")
    String stage;

    @Override
    public Integer call() {
        Workspace ws = Workspace.open(root.folder());
        StageInfo info = stage == null ? ws.current() : ws.stage(stage);
        String markdown = ws.challenge()
                .guide(info.key())
                .orElseThrow(() -> new SetupException(
                        "stage " + info.key() + " of " + ws.challenge().key() + " has no guide: reinstall clstr"
                                + " (the guide belongs in the challenge module, guides/"
                                + ws.challenge().key() + "/"
                                + info.key() + ".md)"));
        PrintWriter out = spec.commandLine().getOut();
        new MarkdownRenderer(root.context().terminal()).render(markdown).forEach(out::println);
        out.flush();
        return ExitCode.OK;
    }
}
