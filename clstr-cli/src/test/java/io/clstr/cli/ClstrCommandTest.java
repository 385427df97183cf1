package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.cli.text.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClstrCommandTest {

    @TempDir
    Path dir;

    @Test
    void versionComesFromTheBuild() {
        Cli.Result r = Cli.run(dir, "--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("clstr 0.");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result r = Cli.run(dir, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains(
                        "list",
                        "init",
                        "test",
                        "next",
                        "status",
                        "logs",
                        "guide",
                        "2 usage or setup · 130 interrupted");
    }

    @Test
    void aCommandLineThatNamesOneCommandSetsUpOnlyThatOneAndAnyOtherAllOfThem() {
        assertThat(ClstrCommand.named("test", "http-api")).contains(TestCommand.class);
        assertThat(ClstrCommand.named("-C", "dir", "t")).contains(TestCommand.class);
        assertThat(ClstrCommand.named("--dir=dir", "next")).contains(NextCommand.class);
        assertThat(ClstrCommand.named("-Cdir", "logs", "-C", "x")).contains(LogsCommand.class);
        assertThat(ClstrCommand.named()).isEmpty();
        assertThat(ClstrCommand.named("help", "test")).isEmpty();
        assertThat(ClstrCommand.named("--help", "test")).isEmpty();
        assertThat(ClstrCommand.named("tset")).isEmpty();
        assertThat(ClstrCommand.named("-C")).isEmpty();

        StringWriter out = new StringWriter();
        CommandLine one = ClstrCommand.commandLine(
                new CliContext(dir, Terminal.plain()), new PrintWriter(out), new PrintWriter(out), "-C", "x", "status");
        CommandLine all = ClstrCommand.commandLine(
                new CliContext(dir, Terminal.plain()), new PrintWriter(out), new PrintWriter(out), "help", "status");
        assertThat(one.getSubcommands().keySet()).containsExactly("status", "s");
        assertThat(all.getSubcommands().keySet())
                .contains("list", "init", "test", "t", "next", "status", "logs", "guide", "help");
    }

    @Test
    void helpOfOneCommandIsTheSameWhenItIsTheOnlyOneSetUp() {
        StringWriter lazy = new StringWriter();
        StringWriter full = new StringWriter();
        CliContext context = new CliContext(dir, Terminal.plain());
        ClstrCommand.commandLine(context, new PrintWriter(lazy), new PrintWriter(lazy), "test", "--help")
                .execute("test", "--help");
        ClstrCommand.commandLine(context, new PrintWriter(full), new PrintWriter(full))
                .execute("test", "--help");

        assertThat(lazy.toString()).contains("Usage: clstr test").isEqualTo(full.toString());
    }

    @Test
    void withoutACommandPrintsUsageAndExits2() {
        Cli.Result r = Cli.run(dir);

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("Usage: clstr");
    }

    @Test
    void unknownCommandIsOneLineWithExit2() {
        Cli.Result r = Cli.run(dir, "tset");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).contains("Unmatched argument", "'tset'", "clstr --help");
        NoStackTrace.assertClean(r);
    }

    @Test
    void unknownOptionNamesItAndTheCommandsHelp() {
        Cli.Result r = Cli.run(dir, "test", "--fast");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).contains("--fast", "clstr test --help");
        NoStackTrace.assertClean(r);
    }

    @Test
    void badSeedIsAParameterError() {
        Cli.Result r = Cli.run(dir, "test", "--seed", "abc");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).contains("--seed", "abc");
    }

    @Test
    void aliasesRunTheSameCommands() {
        assertThat(Cli.run(dir, "ls").out()).isEqualTo(Cli.run(dir, "list").out());
        assertThat(Cli.run(dir, "l").exitCode()).isZero();
        assertThat(Cli.run(dir, "s").firstErrLine())
                .isEqualTo(Cli.run(dir, "status").firstErrLine());
        assertThat(Cli.run(dir, "t").firstErrLine())
                .isEqualTo(Cli.run(dir, "test").firstErrLine());
        assertThat(Cli.run(dir, "n").firstErrLine())
                .isEqualTo(Cli.run(dir, "next").firstErrLine());
        assertThat(Cli.run(dir, "i", "demo", "-l", "go").exitCode()).isZero();
    }

    @Test
    void dirOptionRunsAsIfStartedThereBeforeOrAfterTheCommand() throws Exception {
        DemoFolder folder = DemoFolder.create(dir.resolve("challenge"), "echo", "");

        assertThat(Cli.run(dir, "-C", "challenge", "status").out()).contains("→ echo");
        assertThat(Cli.run(dir, "status", "--dir", folder.dir().toString()).out())
                .contains("→ echo");
    }

    @Test
    void findsTheChallengeFolderFromASubfolder() throws Exception {
        DemoFolder folder = DemoFolder.create(dir, "echo", "");
        Path sub = java.nio.file.Files.createDirectories(folder.dir().resolve("src/server"));

        assertThat(Cli.run(sub, "status").out()).contains("→ echo");
    }
}
