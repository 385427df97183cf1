package io.clstr.junit.internal.runtime;

import io.clstr.junit.ServerException;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.timing.Ledger;
import java.time.Duration;
import java.util.List;

/**
 * A process group, signalled as a whole through {@code kill} ({@link Signals}; a {@link ProcessHandle}
 * reaches one process only). A group counts as empty once none of its processes is alive; zombies
 * that nobody reaps do not count.
 */
final class ProcessGroup {
    /** How long processes get to disappear after SIGKILL before the runtime gives up on them. */
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private final long pgid;
    private final SystemCommands commands;

    ProcessGroup(long pgid, SystemCommands commands) {
        this.pgid = pgid;
        this.commands = commands;
    }

    long pgid() {
        return pgid;
    }

    /**
     * Sends {@code signal} (such as {@code TERM}) to every process of the group; false if the group does not exist.
     * The signal's delivery counts as a stop wait, as a container engine's kill or stop does in the Docker
     * runtime: the signalling shell's answer comes once {@code kill} has run, on a busy machine behind the
     * threads of a node that SIGKILL is ending.
     */
    boolean signal(String signal) {
        return send(commands, signal, "-" + pgid);
    }

    /**
     * Sends {@code signal} to the group if it has a live process; false if it has none. Once a group is
     * empty its id may be given to an unrelated new process, so an empty group is never signalled.
     */
    boolean signalIfAlive(String signal) {
        return !isEmpty() && signal(signal);
    }

    /**
     * Waits until every live process of the group is stopped ({@code stopped = true}, after SIGSTOP) or
     * none is ({@code false}, after SIGCONT): a signal is delivered asynchronously, after {@code kill} returned.
     */
    /** How often a signal's delivery is checked in /proc. */
    private static final Duration SIGNAL_POLL = Duration.ofMillis(5);

    void awaitStopped(boolean stopped, String node) {
        boolean done;
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
            done = Deadline.in(KILL_TIMEOUT).untilUninterruptibly(SIGNAL_POLL, () -> wronglyStopped(stopped)
                    .isEmpty());
        }
        if (!done) {
            throw new ServerException(
                    node + ": processes " + wronglyStopped(stopped) + " did not " + (stopped ? "stop" : "continue")
                            + " within " + KILL_TIMEOUT.toSeconds() + " s of SIG" + (stopped ? "STOP" : "CONT"),
                    List.of());
        }
    }

    /** The live processes of the group that are not (yet) in the state asked for. */
    private List<Long> wronglyStopped(boolean stopped) {
        return ProcFs.liveProcesses().stream()
                .filter(s -> s.pgid() == pgid && (s.state() == 'T') != stopped)
                .map(ProcFs.Stat::pid)
                .toList();
    }

    /** Sends {@code signal} to one process; false if it does not exist. Its delivery counts as a stop wait, as {@link #signal}'s. */
    static boolean signalProcess(SystemCommands commands, String signal, long pid) {
        return send(commands, signal, Long.toString(pid));
    }

    private static boolean send(SystemCommands commands, String signal, String target) {
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
            return Signals.send(commands, signal, target);
        }
    }

    /**
     * True once no process of the group is alive. While the group's leader (whose pid is the group
     * id) lives, one read of its stat says so; only a group whose leader has gone needs a look at
     * every process, for members it left behind.
     */
    boolean isEmpty() {
        boolean leaderAlive =
                ProcFs.stat(pgid).filter(s -> s.pgid() == pgid && !s.isDead()).isPresent();
        return !leaderAlive && ProcFs.liveMembers(pgid).isEmpty();
    }

    /**
     * Waits a grace period for the group to empty; returns whether it did. An interrupt ends the
     * grace at once (false), the flag restored: what follows is SIGKILL.
     */
    boolean awaitEmptyWithin(Duration grace) {
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
            return Deadline.in(grace).untilInterrupted(Duration.ofNanos(POLL_NANOS), this::isEmpty);
        }
    }

    /**
     * SIGKILL, then SIGCONT (a stopped process is woken so nothing waits on it), then waits until the
     * group is empty; nothing if it is empty already. Not interruptible: an interrupt is remembered and restored on return.
     */
    void killAndAwait(String node) {
        killAndAwait(node, true);
    }

    /** As {@link #killAndAwait(String)}, sending SIGCONT only when {@code mayBeStopped} (the caller paused the group). */
    void killAndAwait(String node, boolean mayBeStopped) {
        if (signalIfAlive("KILL")) {
            if (mayBeStopped) {
                signalIfAlive("CONT");
            }
            awaitEmptyUninterruptibly(node);
        }
    }

    /** Waits up to {@link #KILL_TIMEOUT} for the group to empty, ignoring interrupts until done (the flag is restored). */
    void awaitEmptyUninterruptibly(String node) {
        boolean empty;
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) {
            empty = Deadline.in(KILL_TIMEOUT).untilUninterruptibly(Duration.ofNanos(POLL_NANOS), this::isEmpty);
        }
        if (!empty) {
            throw new ServerException(
                    node + ": processes " + ProcFs.liveMembers(pgid) + " of process group " + pgid + " are still alive "
                            + KILL_TIMEOUT.toSeconds() + " s after SIGKILL",
                    List.of());
        }
    }

    @Override
    public String toString() {
        return "process group " + pgid;
    }
}
