package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.cli.text.Terminal;
import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ErrorsTest {
    private final StringWriter err = new StringWriter();

    private int handle(Exception e, boolean debug) {
        CommandLine cl = ClstrCommand.commandLine(
                new CliContext(Path.of(""), Terminal.plain()),
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        return new Errors(Terminal.plain(), debug).handleExecutionException(e, cl, cl.parseArgs());
    }

    @Test
    void setupErrorsExit2WithTheirDetail() {
        assertThat(handle(new SetupException("fix this", List.of("because"), null), false))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualToNormalizingNewlines("fix this\n  because\n");
    }

    @Test
    void serverErrorsExit1() {
        assertThat(handle(new ServerException("the build failed", List.of("line")), false))
                .isEqualTo(ExitCode.FAILED);
        assertThat(err.toString()).startsWith("the build failed\n");
    }

    @Test
    void fileErrorsAreSetupErrors() {
        UncheckedIOException e = new UncheckedIOException(
                "cannot write the challenge folder /x", new java.io.IOException("Permission denied"));

        assertThat(handle(e, false)).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("cannot write the challenge folder /x: Permission denied (check");
    }

    @Test
    void interruptionExits130() {
        assertThat(handle(new InterruptedException(), false)).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void unexpectedErrorsAreOneLineUnlessDebugging() {
        IllegalStateException bug = new IllegalStateException("boom\nmore");

        assertThat(handle(bug, false)).isEqualTo(ExitCode.FAILED);
        assertThat(err.toString())
                .isEqualToNormalizingNewlines("clstr failed unexpectedly: IllegalStateException: boom"
                        + " (set CLSTR_DEBUG=1 to see where, and please report it)\n");

        err.getBuffer().setLength(0);
        handle(bug, true);
        assertThat(err.toString()).contains("\tat io.clstr.cli.ErrorsTest");
    }

    @Test
    void exitCodesRankBySeverity() {
        assertThat(ExitCode.worst(ExitCode.OK, ExitCode.FAILED)).isEqualTo(ExitCode.FAILED);
        assertThat(ExitCode.worst(ExitCode.USAGE, ExitCode.FAILED)).isEqualTo(ExitCode.USAGE);
        assertThat(ExitCode.worst(ExitCode.USAGE, ExitCode.INTERRUPTED)).isEqualTo(ExitCode.INTERRUPTED);
    }
}
