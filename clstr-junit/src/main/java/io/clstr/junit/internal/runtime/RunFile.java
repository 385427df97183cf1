package io.clstr.junit.internal.runtime;

import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.Deadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The file {@code <folder>/.clstr/run/processes}: the process groups one run started, so that the next
 * run can end those that outlived a crashed JVM. Lines are {@code run <run id> <jvm pid>}, then, as
 * nodes start and end, {@code group <pgid> <run id> <node>} and {@code ended <pgid>}.
 *
 * <p>The file is written once when the run starts and only appended to after that: a line per start and
 * per end, on a channel kept open, so a node's start or end costs one small write, not a rewrite of the
 * file. A JVM killed mid-line leaves a partial last line, which the next run skips.
 *
 * <p>The run holds an OS lock on {@code processes.lock} next to it while it lives, so a second run in the
 * same folder is refused instead of ending the first run's nodes, and the lock is free again once the
 * JVM that held it is gone.
 *
 * <p>A recorded group is only ended if one of its processes carries {@code CLSTR_RUN_ID=<its run id>}
 * in its environment, so a recycled process id is never signalled.
 */
final class RunFile implements AutoCloseable {
    /** The environment variable that marks every node process with the id of the run that started it. */
    static final String RUN_ID_VARIABLE = "CLSTR_RUN_ID";

    static final String FILE_NAME = "processes";
    static final String LOCK_NAME = "processes.lock";

    private final Path file;
    private final String runId;
    private final HeldFileLock lock;
    private final FileChannel channel;
    private boolean closed;

    private RunFile(Path file, String runId, HeldFileLock lock, FileChannel channel) {
        this.file = file;
        this.runId = runId;
        this.lock = lock;
        this.channel = channel;
    }

    /**
     * Takes over {@code runDir} for run {@code runId}: locks it, ends every process of an earlier run
     * recorded there that is still alive (waiting until they are gone), and starts a fresh file.
     */
    static RunFile open(Path runDir, String runId, SystemCommands commands) {
        Path file = runDir.resolve(FILE_NAME);
        HeldFileLock lock;
        try {
            Files.createDirectories(runDir);
            lock = HeldFileLock.tryLock(runDir.resolve(LOCK_NAME)).orElseThrow(() -> inUse(file));
        } catch (IOException e) {
            throw new SetupException(
                    "cannot use " + runDir + ": " + e.getMessage() + "; make the challenge folder writable",
                    List.of(),
                    e);
        }
        try {
            endLeftovers(file, commands);
            return new RunFile(file, runId, lock, create(file, runId));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Records a process group this run started. */
    synchronized void add(long pgid, String node) {
        if (!closed) {
            append("group " + pgid + ' ' + runId + ' ' + node + '\n');
        }
    }

    /** Records that a process group it recorded has ended. */
    synchronized void remove(long pgid) {
        if (!closed) {
            append("ended " + pgid + '\n');
        }
    }

    /** Deletes the file (every process of the run has ended) and releases the folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (FileChannel appending = channel) {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        } finally {
            lock.close();
        }
    }

    Path path() {
        return file;
    }

    /**
     * Starts the file afresh (its header and {@code run} line) and keeps it open for the lines that
     * follow. No other process writes it: the folder's lock is this run's.
     */
    private static FileChannel create(Path file, String runId) {
        String text = "# process groups started by clstr; the next run in this folder ends those still alive\n" + "run "
                + runId + ' ' + ProcessHandle.current().pid() + '\n';
        try {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                write(channel, text);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private void append(String line) {
        try {
            write(channel, line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static SetupException inUse(Path file) {
        String owner = readOwnerPid(file).map(pid -> " (pid " + pid + ")").orElse("");
        return new SetupException("another clstr run" + owner + " is using " + file.getParent()
                + "; wait for it to end or stop it, then run again");
    }

    private static Optional<String> readOwnerPid(Path file) {
        for (String[] words : lines(file)) {
            if (words.length >= 3 && words[0].equals("run")) {
                return Optional.of(words[2]);
            }
        }
        return Optional.empty();
    }

    /**
     * Ends what the runs recorded in {@code file} left alive: the process group of every live process
     * carrying one of their run ids (recorded or not: a process may have been started just before the
     * JVM died), then waits until none is left.
     */
    private static void endLeftovers(Path file, SystemCommands commands) {
        Set<String> runIds = new LinkedHashSet<>();
        for (String[] words : lines(file)) {
            if (words.length >= 2 && words[0].equals("run")) {
                runIds.add(words[1]);
            } else if (words.length >= 3 && words[0].equals("group")) {
                runIds.add(words[2]);
            }
        }
        for (String runId : runIds) {
            endRun(runId, commands);
        }
    }

    private static void endRun(String runId, SystemCommands commands) {
        String marker = RUN_ID_VARIABLE + "=" + runId;
        List<ProcFs.Stat> leftovers = ProcFs.liveWithEnvironment(marker);
        if (leftovers.isEmpty()) {
            return;
        }
        List<ProcessGroup> groups = new ArrayList<>();
        for (long pgid : ownedGroups(leftovers, marker)) {
            ProcessGroup group = new ProcessGroup(pgid, commands);
            group.signalIfAlive("KILL");
            group.signalIfAlive("CONT");
            groups.add(group);
        }
        for (ProcFs.Stat s : leftovers) {
            ProcessGroup.signalProcess(commands, "KILL", s.pid());
        }
        for (ProcessGroup group : groups) {
            group.awaitEmptyUninterruptibly("leftover of run " + runId);
        }
        awaitNoneMarked(marker, runId);
    }

    /**
     * The groups of {@code marked} processes that a run started: those whose leader carries the marker,
     * or whose leader is gone (the node's shell exited, its children live on). A marked process in a group
     * led by someone else (it died before {@code setsid} made it a leader) is ended alone, not its group.
     */
    static Set<Long> ownedGroups(List<ProcFs.Stat> marked, String marker) {
        Set<Long> pgids = new LinkedHashSet<>();
        for (ProcFs.Stat s : marked) {
            long pgid = s.pgid();
            if (pgid > 1 && (s.pid() == pgid || !ProcFs.isLive(pgid) || ProcFs.hasEnvironment(pgid, marker))) {
                pgids.add(pgid);
            }
        }
        return pgids;
    }

    private static void awaitNoneMarked(String marker, String runId) {
        if (!Deadline.in(ProcessGroup.KILL_TIMEOUT)
                .untilUninterruptibly(Duration.ofMillis(20), () -> ProcFs.liveWithEnvironment(marker)
                        .isEmpty())) {
            throw new ServerException(
                    "processes "
                            + ProcFs.liveWithEnvironment(marker).stream()
                                    .map(ProcFs.Stat::pid)
                                    .toList() + " of an earlier run (" + runId + ") are still alive after SIGKILL",
                    List.of());
        }
    }

    private static List<String[]> lines(Path file) {
        List<String[]> result = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return result;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    result.add(trimmed.split("\\s+"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return result;
    }
}
