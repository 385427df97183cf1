package io.clstr.junit.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.Processes;
import io.clstr.junit.internal.timing.Ledger;
import io.clstr.junit.internal.timing.Report;
import io.clstr.junit.testnode.ChildJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shell that sends the process runtime's signals: what it reaches, what it survives, when it ends. */
class SignalsTest {
    private static final SystemCommands COMMANDS = SystemCommands.find();

    /** A {@code sleep} that leads a process group of its own, as a node's shell does. */
    private static Process groupLeader() throws Exception {
        Process sleep = new ProcessBuilder(COMMANDS.setsid().toString(), "sleep", "60").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcFs.stat(sleep.pid()).map(s -> s.pgid() != sleep.pid()).orElse(true)) {
            assertThat(System.nanoTime()).as("setsid made sleep a group leader").isLessThan(deadline);
            Thread.sleep(5);
        }
        return sleep;
    }

    @Test
    void aSignalReachesTheWholeGroupThroughTheShell() throws Exception {
        long shell = Signals.start(COMMANDS);
        Process sleep = groupLeader();
        try {
            assertThat(Signals.send(COMMANDS, "KILL", "-" + sleep.pid())).isTrue();
            assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleep.exitValue()).isEqualTo(128 + 9);
            assertThat(Signals.start(COMMANDS)).as("the same shell sent it").isEqualTo(shell);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aGroupsSignalCountsAsAStopWaitInTheStagesLedger() throws Exception {
        Signals.start(COMMANDS);
        Process sleep = groupLeader();
        try {
            Ledger ledger = Ledger.open("stage");
            boolean sent;
            Report report;
            try {
                sent = new ProcessGroup(sleep.pid(), COMMANDS).signal("KILL");
            } finally {
                report = ledger.close();
            }

            assertThat(sent).isTrue();
            assertThat(report.waited().getOrDefault(Ledger.Wait.STOP, 0L))
                    .as("the signal's delivery, as a container engine's kill is in the Docker runtime")
                    .isPositive();
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aProcessThatDoesNotExistIsFalse() {
        String beyond = Long.toString((1 << 22) + 1); // past PID_MAX_LIMIT: no Linux gives such a pid
        assertThat(Signals.send(COMMANDS, "CONT", beyond)).isFalse();
        assertThat(Signals.send(COMMANDS, "CONT", "-" + beyond)).isFalse();
    }

    @Test
    void theShellOutlivesTheTerminalsSignals() throws Exception {
        long shell = Signals.start(COMMANDS);
        for (String signal : new String[] {"INT", "TERM", "HUP", "QUIT"}) {
            assertThat(new ProcessBuilder("kill", "-s", signal, Long.toString(shell))
                            .start()
                            .waitFor())
                    .isZero();
        }
        Process sleep = groupLeader();
        try {
            assertThat(Signals.send(COMMANDS, "TERM", "-" + sleep.pid())).isTrue();
            assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Signals.start(COMMANDS))
                    .as("the shell that got the signals still runs")
                    .isEqualTo(shell);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aShellThatWasKilledIsReplaced() throws Exception {
        long shell = Signals.start(COMMANDS);
        ProcessHandle.of(shell).orElseThrow().destroyForcibly();
        ProcessHandle.of(shell).ifPresent(h -> h.onExit().join());
        Process sleep = groupLeader();
        try {
            assertThat(Signals.send(COMMANDS, "KILL", "-" + sleep.pid())).isTrue();
            assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Signals.start(COMMANDS)).isNotEqualTo(shell);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void onlyASignalNameAndAProcessAreSent() {
        assertThatThrownBy(() -> Signals.send(COMMANDS, "KILL; true", "1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signals.send(COMMANDS, "KILL", "1 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signals.send(COMMANDS, "KILL", "-0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theShellEndsWithItsJvmEvenAfterSigkill() throws Exception {
        long shell;
        try (ChildJvm jvm = ChildJvm.start(ShellMain.class)) {
            shell = Long.parseLong(
                    jvm.awaitLine("SHELL ", Duration.ofSeconds(60)).substring("SHELL ".length()));
            assertThat(Processes.isRunning(shell)).isTrue();
            jvm.signal("KILL");
            jvm.awaitExit(Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Processes.isRunning(shell)) {
            assertThat(System.nanoTime())
                    .as("the shell ended within 10 s of its JVM")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Starts the shell, says its pid, and waits to be killed. */
    public static final class ShellMain {
        public static void main(String[] args) throws IOException, InterruptedException {
            System.out.println("SHELL " + Signals.start(SystemCommands.find()));
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
