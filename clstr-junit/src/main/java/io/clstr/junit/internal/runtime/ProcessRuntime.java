package io.clstr.junit.internal.runtime;

import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.Deadline;
import io.clstr.junit.internal.LineTail;
import io.clstr.junit.internal.Text;
import io.clstr.junit.internal.Trees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Runs each node as a local process group: the {@code run} command of clstr.yaml, started with
 * {@code setsid sh -c <run>} in the challenge folder, after the {@code build} command ran once.
 * Ports come from a {@link PortLease} the caller holds; {@link NodeSpec} carries them.
 *
 * <p>Creating a runtime takes over {@code <folder>/.clstr/run/}: it ends the process groups an earlier
 * run left behind when its JVM crashed (see {@link RunFile}) and refuses to start while another run
 * uses the folder. Every node process carries {@code CLSTR_RUN_ID=<run id>} in its environment, which
 * is how leftovers are told apart from unrelated processes that reuse their ids.
 *
 * <p>{@link #close()} kills every process the runtime started and waits until they are gone. A JVM
 * shutdown hook (Ctrl-C, SIGTERM) does the same; whichever comes first does the work, the other waits
 * for it to finish.
 */
public final class ProcessRuntime implements NodeRuntime {
    /** The grace period between SIGTERM and SIGKILL when a node is stopped. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    /** How long the build command may run by default. */
    public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofMinutes(10);

    private static final int BUILD_TAIL_LINES = 20;

    /** The build log keeps this much of the build's output. */
    private static final long BUILD_LOG_CAP = 16L << 20;

    private final Path folder;
    private final String buildCommand;
    private final Duration buildTimeout;
    private final String runCommand;
    private final NodeOutput output;
    private final Duration grace;
    private final String runId = UUID.randomUUID().toString();
    private final SystemCommands commands;
    private final HealthProbe health = new HealthProbe();
    private final RunFile runFile;
    private final Thread shutdownHook;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: what runs now, by process group id. */
    private final Map<Long, Launched> launched = new LinkedHashMap<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /**
     * No process started since the last search for stragglers ({@link #sweep()}): close need not search
     * again. Guarded by {@link #lock}.
     */
    private boolean swept;

    private final Object buildLock = new Object();
    /** Guarded by {@link #buildLock}. */
    private boolean built;

    /** What {@link #close()} must end for one start of a node. */
    private record Launched(String node, Process process, ProcessGroup group) {}

    /** A runtime with the {@linkplain #DEFAULT_GRACE default grace period}. */
    public ProcessRuntime(Path folder, String buildCommand, String runCommand, NodeOutput output) {
        this(folder, buildCommand, DEFAULT_BUILD_TIMEOUT, runCommand, output, DEFAULT_GRACE);
    }

    /** A runtime with the {@linkplain #DEFAULT_BUILD_TIMEOUT default build timeout}. */
    public ProcessRuntime(Path folder, String buildCommand, String runCommand, NodeOutput output, Duration grace) {
        this(folder, buildCommand, DEFAULT_BUILD_TIMEOUT, runCommand, output, grace);
    }

    /**
     * @param folder       the challenge folder: working directory of the build and of every node
     * @param buildCommand clstr.yaml's {@code build}, run once by {@link #build()}; null or blank for none
     * @param buildTimeout how long the build may run before it is ended and {@link #build()} fails
     * @param runCommand   clstr.yaml's {@code run}, which starts one node; missing throws {@link SetupException}
     * @param output       receives every line the nodes print
     * @param grace        time between SIGTERM and SIGKILL for {@link ProcessNode#stop()}
     */
    public ProcessRuntime(
            Path folder,
            String buildCommand,
            Duration buildTimeout,
            String runCommand,
            NodeOutput output,
            Duration grace) {
        if (runCommand == null || runCommand.isBlank()) {
            throw new SetupException("add a `run:` command to clstr.yaml (the command that starts one node, such as"
                    + " `run: ./server`): the process runtime needs it");
        }
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        if (!Files.isDirectory(this.folder)) {
            throw new SetupException("the challenge folder " + this.folder + " does not exist");
        }
        this.buildCommand = buildCommand == null || buildCommand.isBlank() ? null : buildCommand;
        this.buildTimeout = Objects.requireNonNull(buildTimeout, "buildTimeout");
        this.runCommand = runCommand;
        this.output = Objects.requireNonNull(output, "output");
        this.grace = Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            throw new SetupException("the process runtime needs Linux (it reads /proc); use the docker runtime here");
        }
        this.commands = SystemCommands.find();
        this.runFile = RunFile.open(runDir(), runId, commands);
        this.shutdownHook = new Thread(this::closeOnce, "clstr-process-runtime-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            runFile.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "process";
    }

    /** The challenge folder, absolute. */
    public Path folder() {
        return folder;
    }

    /** {@code <folder>/.clstr/run}: the run file and the nodes' folders. */
    public Path runDir() {
        return folder.resolve(".clstr").resolve("run");
    }

    /** {@code <folder>/.clstr/run/<node>/data}, without touching it. */
    public Path dataDir(String node) {
        return runDir().resolve(node).resolve("data");
    }

    /** Empties (or creates) {@link #dataDir(String)} and returns it: a node's clean slate at the start of a stage. */
    public Path freshDataDir(String node) {
        Path dir = dataDir(node);
        try {
            if (Files.exists(dir)) {
                Trees.delete(dir);
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data folder " + dir, e);
        }
        return dir;
    }

    /** The grace period between SIGTERM and SIGKILL. */
    public Duration grace() {
        return grace;
    }

    /** The id every node process of this runtime carries as {@code CLSTR_RUN_ID}. */
    public String runId() {
        return runId;
    }

    /**
     * Runs the build command with {@code setsid sh -c} in the challenge folder, its output in
     * {@code .clstr/build.log}, once: later calls return at once after a success (the extension
     * builds once per run, for its first stage). A non-zero exit, or a build still
     * running after the build timeout (its whole process group is then ended), throws
     * {@link ServerException} with the last lines of the output. An interrupt, or this runtime's
     * close (Ctrl-C), ends the build too; an interrupt restores the flag and throws
     * {@link CancellationException}.
     */
    @Override
    public void build() {
        synchronized (buildLock) {
            synchronized (lock) {
                requireOpen();
            }
            if (built || buildCommand == null) {
                built = true;
                return;
            }
            runBuild();
            built = true;
        }
    }

    /** {@code <folder>/.clstr/build.log}: the last build's output. */
    public Path buildLog() {
        return folder.resolve(".clstr").resolve("build.log");
    }

    private void runBuild() {
        Process process;
        try {
            Files.createDirectories(buildLog().getParent());
            process = launch(
                    "build",
                    new ProcessBuilder(
                                    commands.setsid().toString(), commands.sh().toString(), "-c", buildCommand)
                            .directory(folder.toFile())
                            .redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        } catch (IOException e) {
            throw new ServerException(
                    "cannot run the build command: " + e.getMessage() + ": " + buildCommand, List.of(), e);
        }
        ProcessGroup group = new ProcessGroup(process.pid(), commands);
        LineTail tail = new LineTail(BUILD_TAIL_LINES);
        CappedLog log = CappedLog.open(buildLog(), BUILD_LOG_CAP);
        LineDrain drain = LineDrain.start("clstr-build-output", process.getInputStream(), line -> {
            tail.add(line);
            log.line(line);
        });
        boolean finished;
        try {
            finished = process.waitFor(buildTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            endBuild(process, group, drain, log);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while running the build command: " + buildCommand);
        }
        if (!finished) {
            endBuild(process, group, drain, log);
            throw new ServerException(
                    "the build command did not finish within " + Text.describe(buildTimeout) + ": `" + buildCommand
                            + "` was ended; make it faster or raise build_timeout in clstr.yaml (whole output: "
                            + folder.relativize(buildLog()) + ")",
                    tail.tail(BUILD_TAIL_LINES));
        }
        group.killAndAwait("build"); // whatever the build left running in its group
        ended(group);
        drain.awaitEnd(Duration.ofSeconds(2));
        log.close();
        if (process.exitValue() != 0) {
            throw new ServerException(
                    "the build command failed (exit code " + process.exitValue() + "): fix what `" + buildCommand
                            + "` reports below (whole output: " + folder.relativize(buildLog()) + ")",
                    tail.tail(BUILD_TAIL_LINES));
        }
    }

    private void endBuild(Process process, ProcessGroup group, LineDrain drain, CappedLog log) {
        process.destroyForcibly();
        group.killAndAwait("build");
        ended(group);
        drain.awaitEnd(Duration.ofSeconds(2));
        log.close();
    }

    /** A node that has not started yet; it keeps {@code spec}'s port and data folder across restarts. */
    @Override
    public ProcessNode create(NodeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        synchronized (lock) {
            requireOpen();
        }
        return new ProcessNode(this, spec);
    }

    /**
     * Runs once, ahead of any stage, what a JVM's first process runtime would otherwise run cold: starts
     * the shell that signals nodes ({@link Signals}) and sends its first signal, reads one process's
     * stat, then every process's stat and environment (as a group's end and the search for escaped
     * processes do). Signals nothing but that shell, with SIGCONT; throws {@link
     * io.clstr.junit.SetupException} if a program the runtime needs is missing.
     */
    public static void prepareJvm() {
        SystemCommands commands = SystemCommands.find();
        long shell = Signals.start(commands);
        if (shell > 0) {
            new ProcessGroup(shell, commands).isEmpty(); // the shell leads no group: every process's stat is read
        }
        ProcFs.liveWithEnvironment(RunFile.RUN_ID_VARIABLE + "=prepare");
    }

    /**
     * Kills every process this runtime started (SIGKILL to each group and to each straggler that left
     * its group), waits until they are gone, deletes the run file and releases the folder. Idempotent.
     */
    @Override
    public void close() {
        try {
            closeOnce();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) closeOnce, which is idempotent
            }
        }
    }

    private void closeOnce() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                List<Launched> all = new ArrayList<>(launched.values());
                for (Launched l : all) {
                    l.group().signalIfAlive("KILL");
                    l.process().destroyForcibly();
                    l.group().signalIfAlive("CONT");
                }
                for (Launched l : all) {
                    l.group().awaitEmptyUninterruptibly(l.node());
                }
                if (!swept || !all.isEmpty()) {
                    endStragglers();
                }
                launched.clear();
            } finally {
                health.close();
                runFile.close();
            }
        }
    }

    /**
     * Once every node has ended: kills the processes of this run that left their node's process group
     * (their own setsid, say), as {@link #close()} does, so that this search of /proc can run beside other
     * work; close then searches again only if a process started since.
     */
    @Override
    public void sweep() {
        synchronized (lock) {
            endStragglers();
            swept = true;
        }
    }

    /** Kills processes of this run that left their node's process group (their own setsid, say). */
    private void endStragglers() {
        String marker = RunFile.RUN_ID_VARIABLE + "=" + runId;
        List<ProcFs.Stat> left = ProcFs.liveWithEnvironment(marker);
        if (left.isEmpty()) {
            return;
        }
        for (long pgid : RunFile.ownedGroups(left, marker)) {
            new ProcessGroup(pgid, commands).killAndAwait("straggler of run " + runId);
        }
        for (ProcFs.Stat s : left) {
            ProcessGroup.signalProcess(commands, "KILL", s.pid());
        }
        Deadline.in(ProcessGroup.KILL_TIMEOUT).untilUninterruptibly(Duration.ofMillis(10), () -> left.stream()
                .noneMatch(s -> ProcFs.isLive(s.pid())));
    }

    // ---- used by ProcessNode

    /**
     * Starts {@code builder} as node {@code node} and records its process group, atomically with respect
     * to {@link #close()}: once closed, nothing starts any more.
     */
    Process launch(String node, ProcessBuilder builder) throws IOException {
        synchronized (lock) {
            requireOpen();
            swept = false;
            Process process = builder.start();
            ProcessGroup group = new ProcessGroup(process.pid(), commands);
            launched.put(group.pgid(), new Launched(node, process, group));
            runFile.add(group.pgid(), node);
            return process;
        }
    }

    /** Forgets a process group whose processes have all ended. */
    void ended(ProcessGroup group) {
        synchronized (lock) {
            if (launched.remove(group.pgid()) != null) {
                runFile.remove(group.pgid());
            }
        }
    }

    /**
     * {@code setsid sh -c "trap : TERM; <run>"}. The no-op trap keeps the shell (the process the JVM
     * watches) alive until the command it runs has ended, instead of dying at once on SIGTERM: the JDK
     * closes a child's pipes when that child exits, which would drop what the node prints while it shuts
     * down. A caught signal is reset to its default by exec, so the node itself still gets SIGTERM as usual.
     */
    List<String> command() {
        return List.of(commands.setsid().toString(), commands.sh().toString(), "-c", "trap : TERM\n" + runCommand);
    }

    SystemCommands commands() {
        return commands;
    }

    HealthProbe health() {
        return health;
    }

    NodeOutput output() {
        return output;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the process runtime for " + folder + " is closed");
        }
    }
}
