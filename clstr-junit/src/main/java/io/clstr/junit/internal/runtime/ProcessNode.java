package io.clstr.junit.internal.runtime;

import io.clstr.junit.ServerException;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.LineTail;
import io.clstr.junit.internal.Progress;
import io.clstr.junit.internal.Text;
import io.clstr.junit.internal.timing.Ledger;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One node of a {@link ProcessRuntime}: {@code setsid sh -c <run>} in the challenge folder, leading its own
 * process group (the shell is the group leader and the process {@link #isAlive()} watches), with clstr's environment plus the node's ({@link NodeSpec#env()}) plus
 * {@code CLSTR_RUN_ID}. Its stdout and stderr are drained line by line into the runtime's
 * {@link NodeOutput} and into a buffer that {@link #logTail(int)} reads across restarts.
 *
 * <p>Every signal goes to the whole group. Lifecycle methods are serialised per node.
 */
public final class ProcessNode implements NodeProcess {
    /** Time allowed to one {@code GET /health} request (connect and answer). */
    static final Duration HEALTH_REQUEST_TIMEOUT = Duration.ofMillis(250);

    private static final long HEALTH_POLL_MILLIS = 50;
    private static final int LOG_CAPACITY = 2000;
    private static final int FAILURE_TAIL_LINES = 20;
    /** How long a start waits for {@code setsid} to make the new process a group leader. */
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for the last output of an ended process (children may hold its pipes open). */
    private static final Duration OUTPUT_END_TIMEOUT = Duration.ofSeconds(1);

    private final ProcessRuntime runtime;
    private final NodeSpec spec;
    private final URI uri;
    /** Marks every process of a node (its run's id and its name), so that one that left the node's group is found. */
    static final String NODE_ID_VARIABLE = "CLSTR_NODE_ID";

    private final LineTail log = new LineTail(LOG_CAPACITY);

    /** The current (or last) start: written under {@code this}, read without it so queries never wait for a stop. */
    private volatile Process process;

    private volatile ProcessGroup group;
    /** True once a stop or kill ended {@link #group} and everything that escaped it: a new start has nothing to end. */
    private volatile boolean groupEnded;

    private volatile boolean paused;
    private volatile List<LineDrain> drains = List.of();

    ProcessNode(ProcessRuntime runtime, NodeSpec spec) {
        this.runtime = runtime;
        this.spec = spec;
        this.uri = URI.create("http://127.0.0.1:" + spec.port());
    }

    /** The node's name, such as {@code n1}. */
    public String name() {
        return spec.name();
    }

    public NodeSpec spec() {
        return spec;
    }

    /** {@code http://127.0.0.1:<port>}; the same across restarts. */
    @Override
    public URI uri() {
        return uri;
    }

    /**
     * Starts the node; it must not be running. Processes its previous start left behind (children of a
     * node that died) are killed first, since they may hold its port. Creates the data folder if missing.
     */
    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name() + " is already running");
        }
        endPreviousGroup();
        try {
            Files.createDirectories(spec.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder of " + name() + ": " + spec.dataDir(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(runtime.command())
                .directory(runtime.folder().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.putAll(spec.env());
        env.put(RunFile.RUN_ID_VARIABLE, runtime.runId());
        env.put(NODE_ID_VARIABLE, nodeId());
        Process started;
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.START)) {
            started = runtime.launch(name(), builder);
        } catch (IOException e) {
            throw new ServerException(
                    "cannot start " + name() + ": " + e.getMessage(), log.tail(FAILURE_TAIL_LINES), e);
        }
        process = started;
        group = new ProcessGroup(started.pid(), runtime.commands());
        groupEnded = false;
        paused = false;
        drains = List.of(
                LineDrain.start("clstr-" + name() + "-stdout", started.getInputStream(), this::line),
                LineDrain.start("clstr-" + name() + "-stderr", started.getErrorStream(), this::line));
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.START)) {
            awaitGroupLeader(started);
        }
    }

    /**
     * Polls {@code GET /health} every 50 ms (each request may take 250 ms) until it answers 200. Throws
     * {@link ServerException} if the node exits first or {@code timeout} passes, with the node's last log
     * lines as detail. An interrupt restores the flag and throws {@link CancellationException}.
     */
    @Override
    public void awaitHealthy(Duration timeout) {
        Process current = process;
        if (current == null) {
            throw new IllegalStateException(name() + " has not been started");
        }
        Deadline deadline = Deadline.in(timeout);
        HealthTry last = null;
        try (Progress.Handle waiting = Progress.waiting(name() + " to answer GET /health with 200", timeout);
                Ledger.Span timed = Ledger.waiting(Ledger.Wait.START)) {
            while (true) {
                if (!current.isAlive()) {
                    throw exitedBeforeHealthy(current);
                }
                try {
                    last = runtime.health().send(uri, HEALTH_REQUEST_TIMEOUT, spec.addr());
                    if (last.healthy()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException(
                            "interrupted while waiting for " + name() + " to answer GET /health");
                }
                long left = deadline.remainingNanos();
                if (left <= 0) {
                    throw new ServerException(
                            name() + " did not answer GET /health with 200 within " + Text.describe(timeout)
                                    + HealthTry.lastTry(last),
                            logTail(FAILURE_TAIL_LINES));
                }
                try {
                    awaitExit(current, Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, HEALTH_POLL_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException(
                            "interrupted while waiting for " + name() + " to answer GET /health");
                }
            }
        }
    }

    /**
     * SIGTERM to the group, then SIGCONT if it is paused (it wakes with the SIGTERM already pending, so it
     * does nothing else first); SIGKILL once {@code grace} passed. Returns when no process of the group is left.
     * An interrupt during the grace period skips to SIGKILL; the flag is restored.
     */
    @Override
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        if (group.signalIfAlive("TERM")) {
            if (paused) {
                group.signalIfAlive("CONT");
            }
            if (!group.awaitEmptyWithin(grace)) {
                group.killAndAwait(name(), paused);
            }
        }
        ended();
    }

    /** {@link #stop(Duration)} with the runtime's grace period. */
    public void stop() {
        stop(runtime.grace());
    }

    /** SIGKILL (then SIGCONT if it is paused) to the group; returns when no process of the group is left. */
    @Override
    public synchronized void kill() {
        kill(true);
    }

    /**
     * As {@link #kill()}, without the search for processes that left the group: the runtime's close,
     * which follows, ends every process of the run, and the search reads every process's environment.
     */
    @Override
    public synchronized void killAtTeardown() {
        kill(false);
    }

    /** The group first: with its leader alive, a look at one stat tells the group is there. */
    private void kill(boolean searchEscapees) {
        if (process == null) {
            return;
        }
        group.killAndAwait(name(), paused);
        process.destroyForcibly(); // gone with its group; the JDK's handle learns it
        if (searchEscapees) {
            endEscapees();
        }
        forget();
    }

    /** SIGSTOP to the group; returns once every process of it is stopped: the node keeps its sockets but runs nothing. */
    @Override
    public synchronized void pause() {
        requireStarted();
        paused = group.signalIfAlive("STOP");
        if (paused) {
            group.awaitStopped(true, name());
        }
    }

    /** SIGCONT to the group; returns once no process of it is stopped. */
    @Override
    public synchronized void resume() {
        requireStarted();
        if (group.signalIfAlive("CONT")) {
            group.awaitStopped(false, name());
        }
        paused = false;
    }

    /** True while the node's main process ({@code setsid sh -c}) runs, paused or not. */
    @Override
    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** True between {@link #pause()} and {@link #resume()} (or the node's end). */
    public boolean isPaused() {
        return paused && isAlive();
    }

    /** The process group id of the current or last start; empty before the first start. */
    public OptionalLong pgid() {
        ProcessGroup current = group;
        return current == null ? OptionalLong.empty() : OptionalLong.of(current.pgid());
    }

    /** The exit code of the last start's main process (128 + signal number for a signal); empty while it runs. */
    public OptionalInt exitCode() {
        Process current = process;
        if (current == null || current.isAlive()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(current.exitValue());
    }

    @Override
    public List<String> logTail(int lines) {
        return log.tail(lines);
    }

    @Override
    public String toString() {
        return "ProcessNode[" + name() + " " + uri + "]";
    }

    private void line(String text) {
        log.add(text);
        runtime.output().line(name(), text);
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException(name() + " has not been started");
        }
    }

    /** Kills whatever the previous start left in its group, so the new start finds its port free. */
    private void endPreviousGroup() {
        if (group != null && !groupEnded) {
            group.killAndAwait(name(), true);
            ended();
        }
    }

    /** After every process of the group ended: let the output finish and forget the group. */
    private void ended() {
        endEscapees();
        forget();
    }

    /** As {@link #ended()}, leaving processes that left the group to whoever searches for them. */
    private void forget() {
        try (Ledger.Span timed = Ledger.waiting(Ledger.Wait.STOP)) { // the ended process's exit and last output
            awaitExit(process);
            for (LineDrain drain : drains) {
                drain.awaitEnd(OUTPUT_END_TIMEOUT);
            }
        }
        paused = false;
        runtime.ended(group);
        groupEnded = true;
    }

    /** What every process of this node carries in {@link #NODE_ID_VARIABLE}: the run's id and the node's name. */
    private String nodeId() {
        return runtime.runId() + "/" + name();
    }

    /**
     * SIGKILL to every process that carries this node's id but left its process group (a daemon
     * that forked twice and called setsid): after a kill or a stop nothing of the node may hold its
     * port or answer for the node that starts next. Returns once they are gone.
     */
    private void endEscapees() {
        String marker = NODE_ID_VARIABLE + "=" + nodeId();
        List<ProcFs.Stat> left = ProcFs.liveWithEnvironment(marker);
        if (left.isEmpty()) {
            return;
        }
        for (ProcFs.Stat s : left) {
            ProcessGroup.signalProcess(runtime.commands(), "KILL", s.pid());
        }
        Deadline.in(ProcessGroup.KILL_TIMEOUT).untilUninterruptibly(Duration.ofMillis(10), () -> left.stream()
                .noneMatch(s -> ProcFs.isLive(s.pid())));
    }

    /**
     * {@code setsid} makes the started process the leader of a new group right after it starts (no fork,
     * since the JVM's child is not a group leader), so its pid is its group id. Waits until /proc shows
     * that (a look every millisecond: it takes about one), so that no signal is sent to a group that
     * does not exist yet.
     */
    private void awaitGroupLeader(Process started) {
        Deadline deadline = Deadline.in(LEADER_TIMEOUT);
        boolean interrupted = false;
        try {
            while (true) {
                OptionalLong pgid = ProcFs.stat(started.pid())
                        .map(s -> OptionalLong.of(s.pgid()))
                        .orElse(OptionalLong.empty());
                if (pgid.isEmpty() || pgid.getAsLong() == started.pid()) {
                    return; // a leader now, or already ended (and reaped) after becoming one
                }
                if (deadline.passed()) {
                    started.destroyForcibly();
                    runtime.ended(group);
                    throw new ServerException(
                            "cannot start " + name() + ": " + runtime.commands().setsid()
                                    + " did not make it a process group leader within "
                                    + Text.describe(LEADER_TIMEOUT),
                            List.of());
                }
                try {
                    awaitExit(started, 1);
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

    private ServerException exitedBeforeHealthy(Process ended) {
        for (LineDrain drain : drains) {
            drain.awaitEnd(OUTPUT_END_TIMEOUT);
        }
        return new ServerException(
                name() + " exited with code " + ended.exitValue() + " before becoming healthy",
                logTail(FAILURE_TAIL_LINES));
    }

    /** Waits up to {@code millis} for {@code p} to exit. */
    private static void awaitExit(Process p, long millis) throws InterruptedException {
        try {
            p.onExit().get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running: the caller polls again
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + p.pid(), e);
        }
    }

    /** Waits for a process whose group is already empty to be reaped, ignoring interrupts (the flag is restored). */
    private static void awaitExit(Process p) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (p.waitFor(ProcessGroup.KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    throw new IllegalStateException("process " + p.pid() + " did not end after its group did");
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
