package io.clstr.cli;

import io.clstr.cli.text.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs {@code clstr} in-process as if started in a folder, capturing its output. */
final class Cli {

    private Cli() {}

    static Result run(Path dir, String... args) {
        return run(dir, Terminal.plain(), args);
    }

    static Result run(Path dir, Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClstrCommand.commandLine(
                        new CliContext(dir, terminal), new PrintWriter(out), new PrintWriter(err), args)
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** What one command did. */
    record Result(int exitCode, String out, String err) {

        /** The first line of the error output. */
        String firstErrLine() {
            return err.lines().findFirst().orElse("");
        }

        /** Both streams, for looking for what must never appear. */
        String all() {
            return out + err;
        }
    }
}
