package io.clstr.cli;

import io.clstr.cli.text.Terminal;
import io.clstr.junit.Challenge;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clstr list}: the installed challenges and their stage counts. */
@Command(
        name = "list",
        aliases = {"ls", "l"},
        mixinStandardHelpOptions = true,
        description = "List the challenges and how many stages each has.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Terminal t = root.context().terminal();
        List<Challenge> all = Challenge.all();
        if (all.isEmpty()) {
            out.println("No challenges are installed.");
            out.flush();
            return ExitCode.OK;
        }
        int width = all.stream().mapToInt(c -> c.key().length()).max().orElse(0);
        for (Challenge c : all) {
            int stages = c.stages().size();
            String count =
                    c.available() ? " (" + stages + (stages == 1 ? " stage)" : " stages)") : " (not available yet)";
            out.println(
                    t.bold(String.format(Locale.ROOT, "%-" + width + "s", c.key())) + "  " + c.name() + t.dim(count));
            out.println(" ".repeat(width) + "  " + c.summary());
        }
        out.println();
        out.println("Start one: clstr init <challenge> --language <go|python|rust|java|node>");
        out.flush();
        return ExitCode.OK;
    }
}
