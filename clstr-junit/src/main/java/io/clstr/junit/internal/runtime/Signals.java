package io.clstr.junit.internal.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Sends signals through the {@code kill} builtin of one shell that lives as long as the JVM: the
 * {@code kill} program costs a process start per signal (5 to 20 ms, more in a cold JVM), which a
 * kill, a stop or a pause would add to the harness's own time; a line to the shell costs a pipe's
 * round trip. The shell ignores the terminal's signals (a Ctrl-C reaches the whole foreground group,
 * and the cleanup that follows still signals nodes) and ends when its input ends, that is when the
 * JVM does, however it ends: the JDK closes every other descriptor in the processes it starts, so
 * no node holds the shell's input open. Where the shell cannot start, or has gone, a signal runs
 * the {@code kill} program as before.
 */
final class Signals {
    /** Reads {@code SIGNAL TARGET} lines and answers each with kill's exit status. */
    private static final String LOOP = "trap '' INT TERM HUP QUIT\n"
            + "while read -r signal target; do kill -s \"$signal\" -- \"$target\" 2>/dev/null; echo $?; done";

    private static final Pattern SIGNAL = Pattern.compile("[A-Z][A-Z0-9]*");
    private static final Pattern TARGET = Pattern.compile("-?[1-9][0-9]*");

    private static Shell shell; // guarded by Signals.class

    private Signals() {}

    /**
     * Starts the shell now unless it runs, so that no stage pays its start, and sends its first signal
     * (SIGCONT to the shell itself, which changes nothing); returns the shell's pid, or -1 if it could not start.
     */
    static long start(SystemCommands commands) {
        Shell s = shell(commands);
        if (s == null) {
            return -1;
        }
        send(commands, "CONT", Long.toString(s.process.pid()));
        return s.process.pid();
    }

    /**
     * Sends {@code signal} (a name such as {@code TERM}) to {@code target}: a pid, or a process group as
     * {@code -pgid}. False if no such process or group exists.
     */
    static boolean send(SystemCommands commands, String signal, String target) {
        if (!SIGNAL.matcher(signal).matches() || !TARGET.matcher(target).matches()) {
            throw new IllegalArgumentException("not a signal and a process: " + signal + " " + target);
        }
        Shell s = shell(commands);
        if (s != null) {
            Boolean sent = s.send(signal, target);
            if (sent != null) {
                return sent;
            }
        }
        return viaProgram(commands, signal, target);
    }

    /** The running shell, started if none runs; null if it cannot start. */
    private static synchronized Shell shell(SystemCommands commands) {
        if (shell == null || !shell.process.isAlive()) {
            shell = Shell.start(commands);
        }
        return shell;
    }

    /** The shell's process and its two pipes; one signal at a time. */
    private static final class Shell {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;

        private Shell(Process process) {
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        static Shell start(SystemCommands commands) {
            try {
                return new Shell(new ProcessBuilder(commands.sh().toString(), "-c", LOOP)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
            } catch (IOException e) {
                return null;
            }
        }

        /** Whether kill found the target; null if the shell has gone (nothing known of the signal). */
        synchronized Boolean send(String signal, String target) {
            try {
                in.write(signal + " " + target + "\n");
                in.flush();
                String status = out.readLine();
                return status == null ? null : status.equals("0");
            } catch (IOException e) {
                process.destroyForcibly();
                return null;
            }
        }
    }

    private static boolean viaProgram(SystemCommands commands, String signal, String target) {
        Process kill;
        try {
            kill = new ProcessBuilder(commands.kill().toString(), "-s", signal, "--", target)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot run " + commands.kill() + " to send SIG" + signal + " to " + target, e);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return kill.waitFor() == 0;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
