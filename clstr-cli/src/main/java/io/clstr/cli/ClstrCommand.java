package io.clstr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code clstr} command: global options and the subcommands. */
@Command(
        name = "clstr",
        mixinStandardHelpOptions = true,
        versionProvider = ClstrCommand.Version.class,
        description = "Learn distributed systems by building them: clstr starts your server as a cluster"
                + " and tests it, one stage at a time.",
        footer = {
            "",
            "Exit codes: 0 passed · 1 a test or your server failed",
            "            2 usage or setup · 130 interrupted"
        })
public final class ClstrCommand implements Callable<Integer> {

    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            ListCommand.class,
            InitCommand.class,
            TestCommand.class,
            NextCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            GuideCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-C", "--dir"},
            paramLabel = "<folder>",
            scope = ScopeType.INHERIT,
            description = "Run as if clstr was started in <folder>.")
    Path dir;

    private final CliContext context;

    public ClstrCommand(CliContext context) {
        this.context = context;
    }

    /**
     * A command line for {@code context}, writing to {@code out} and {@code err}, with clstr's error handling,
     * and every subcommand.
     */
    public static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err) {
        return commandLine(context, out, err, SUBCOMMANDS);
    }

    /**
     * As {@link #commandLine(CliContext, PrintWriter, PrintWriter)}, for running {@code args}: when they name
     * one subcommand, after nothing but {@code -C}/{@code --dir}, only that one is set up (picocli reads every
     * subcommand's annotations when it is added: a third of its start-up); otherwise (no subcommand, an unknown
     * one, {@code help}, another option first) all of them, so that usage and error messages list them all.
     */
    public static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err, String... args) {
        return commandLine(
                context, out, err, named(args).map(List::<Class<?>>of).orElse(SUBCOMMANDS));
    }

    private static CommandLine commandLine(
            CliContext context, PrintWriter out, PrintWriter err, List<Class<?>> subcommands) {
        Errors errors = new Errors(context.terminal(), System.getenv("CLSTR_DEBUG") != null);
        CommandLine commandLine = new CommandLine(new ClstrCommand(context));
        subcommands.forEach(commandLine::addSubcommand);
        return commandLine
                .setOut(out)
                .setErr(err)
                .setColorScheme(Help.defaultColorScheme(context.terminal().colour() ? Help.Ansi.ON : Help.Ansi.OFF))
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /** The subcommand {@code args} run, when only {@code -C}/{@code --dir} come before its name; not {@code help}. */
    static Optional<Class<?>> named(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-C") || arg.equals("--dir")) {
                i++; // its value
            } else if (!(arg.startsWith("-C") || arg.startsWith("--dir="))) {
                for (Class<?> c : SUBCOMMANDS) {
                    Command command = c.getAnnotation(Command.class);
                    if (!command.name().equals("help")
                            && (command.name().equals(arg)
                                    || List.of(command.aliases()).contains(arg))) {
                        return Optional.of(c);
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Without a subcommand: the usage, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    CliContext context() {
        return context;
    }

    /** The folder commands work in: {@code --dir} resolved against the working directory. */
    Path folder() {
        return dir == null ? context.workDir() : context.workDir().resolve(dir).normalize();
    }

    /** The version from the build, as {@code clstr 0.1.0}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ClstrCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"clstr " + p.getProperty("version", "(unknown version)")};
        }
    }
}
