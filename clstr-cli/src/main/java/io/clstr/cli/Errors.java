package io.clstr.cli;

import io.clstr.cli.text.Terminal;
import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every error into one line saying what to fix (plus detail lines where they help) and
 * the exit code of DESIGN.md section 8 (a file that cannot be read or written is a setup error).
 * Never prints a stack trace, except for an unexpected error when {@code CLSTR_DEBUG} is set.
 */
final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final Terminal terminal;
    private final boolean debug;

    Errors(Terminal terminal, boolean debug) {
        this.terminal = terminal;
        this.debug = debug;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(
                terminal.red(ex.getMessage()) + " (see `" + cl.getCommandSpec().qualifiedName() + " --help`)");
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        if (ex instanceof ParameterException pe) {
            return handleParseException(pe, parseResult.originalArgs().toArray(String[]::new));
        }
        PrintWriter err = cl.getErr();
        int code;
        if (ex instanceof SetupException se) {
            print(err, se.getMessage(), se.detail());
            code = ExitCode.USAGE;
        } else if (ex instanceof ServerException se) {
            print(err, se.getMessage(), se.detail());
            code = ExitCode.FAILED;
        } else if (ex instanceof UncheckedIOException io) {
            print(
                    err,
                    io.getMessage() + ": " + io.getCause().getMessage()
                            + " (check the folder's permissions and free space)",
                    List.of());
            code = ExitCode.USAGE;
        } else if (ex instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            print(err, "interrupted", List.of());
            code = ExitCode.INTERRUPTED;
        } else {
            print(
                    err,
                    "clstr failed unexpectedly: " + oneLine(ex)
                            + " (set CLSTR_DEBUG=1 to see where, and please report it)",
                    List.of());
            if (debug) {
                ex.printStackTrace(err);
            }
            code = ExitCode.FAILED;
        }
        err.flush();
        return code;
    }

    private void print(PrintWriter err, String message, List<String> detail) {
        err.println(terminal.red(message == null ? "clstr failed" : message));
        for (String line : detail) {
            err.println("  " + line);
        }
    }

    /** The exception's class and the first line of its message. */
    static String oneLine(Throwable t) {
        String message =
                t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
