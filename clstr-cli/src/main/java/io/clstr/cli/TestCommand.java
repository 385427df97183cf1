package io.clstr.cli;

import io.clstr.cli.run.RunResult;
import io.clstr.cli.text.Printer;
import io.clstr.cli.text.Terminal;
import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.OnlySelection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clstr test [stage] [--so-far]}: runs a stage (default: the current one) against the learner's server. */
@Command(
        name = "test",
        aliases = "t",
        mixinStandardHelpOptions = true,
        description = "Test your server on a stage (default: your current stage).",
        footer = {
            "",
            "JUnit XML reports go to .clstr/reports; each stage's last run's logs to .clstr/logs/<stage> (see clstr logs)."
        })
final class TestCommand implements Callable<Integer> {

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<stage>", description = "The stage to test.")
    String stage;

    @Option(
            names = "--so-far",
            description = "Test every stage up to <stage>, in order, stopping at the first that fails.")
    boolean soFar;

    @Option(
            names = "--only",
            paramLabel = "<test name>",
            description = "Run only this test of the stage (and the earlier tests it depends on), on a fresh cluster.")
    String only;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws InterruptedException {
        Workspace ws = Workspace.open(root.folder());
        StageInfo target = stage == null ? ws.current() : ws.stage(stage);
        List<StageInfo> stages = soFar ? ws.stagesUpTo(target) : List.of(target);
        if (only != null) {
            if (soFar) {
                throw new ParameterException(spec.commandLine(), "--only runs one test of one stage: drop --so-far");
            }
            OnlySelection.methods(target.testClass(), only); // an unknown name fails here, listing the tests
            options.only = only;
        }
        Terminal terminal = root.context().terminal();
        Printer out = new Printer(spec.commandLine().getOut());
        RunResult result = TestRun.execute(ws, stages, options, terminal, out);
        if (result.passed() && only != null) {
            out.line("Only \"" + only + "\" ran (with the earlier tests it depends on): clstr test runs the whole "
                    + "stage.");
        } else if (result.passed()) {
            whatNext(ws, target, out);
        }
        return result.exitCode();
    }

    private static void whatNext(Workspace ws, StageInfo tested, Printer out) {
        StageInfo current = ws.current();
        Optional<StageInfo> next = ws.after(tested);
        out.blank();
        if (next.isEmpty()) {
            out.line("That is every stage of " + ws.challenge().name() + ": congratulations!");
        } else if (tested.key().equals(current.key())) {
            out.line("Run clstr next to unlock " + next.get().key() + ".");
        } else if (ws.indexOf(tested) < ws.indexOf(current)) {
            out.line("Your current stage is " + current.key() + ": clstr test");
        } else {
            out.line("This stage is ahead of clstr.yaml's " + current.key() + ": clstr next moves on from there.");
        }
    }
}
