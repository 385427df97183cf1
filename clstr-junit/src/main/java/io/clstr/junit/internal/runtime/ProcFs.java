package io.clstr.junit.internal.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Reads what the runtime needs to know about processes from Linux's {@code /proc}. */
final class ProcFs {
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {}

    /**
     * The fields of {@code /proc/<pid>/stat} the runtime uses.
     *
     * @param pid   process id
     * @param pgid  process group id
     * @param state one-letter state: {@code R}, {@code S}, {@code T} (stopped), {@code Z} (zombie)…
     */
    record Stat(long pid, long pgid, char state) {

        /** True for a process that has ended but was not reaped yet: it runs nothing and holds nothing. */
        boolean isDead() {
            return state == 'Z' || state == 'X' || state == 'x';
        }
    }

    /** The stat of one process; empty if it does not exist (any more). */
    static Optional<Stat> stat(long pid) {
        String raw;
        try {
            raw = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty();
        }
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'
        int close = raw.lastIndexOf(')');
        if (close < 0 || close + 2 >= raw.length()) {
            return Optional.empty();
        }
        String[] fields = raw.substring(close + 2).split(" ", 4);
        if (fields.length < 3 || fields[0].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(pid, Long.parseLong(fields[2]), fields[0].charAt(0)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Every process that exists now and has not ended. */
    static List<Stat> liveProcesses() {
        List<Stat> all = new ArrayList<>();
        forEachPid(pid -> stat(pid).filter(s -> !s.isDead()).ifPresent(all::add));
        return all;
    }

    /** Calls {@code action} with the id of every process in /proc. */
    private static void forEachPid(LongConsumer action) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                long pid = pidOf(entry);
                if (pid > 0) {
                    action.accept(pid);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: the process runtime needs Linux", e);
        }
    }

    /** The pids of the live processes in process group {@code pgid}. */
    static List<Long> liveMembers(long pgid) {
        List<Long> members = new ArrayList<>();
        for (Stat s : liveProcesses()) {
            if (s.pgid() == pgid) {
                members.add(s.pid());
            }
        }
        return members;
    }

    /** True if process {@code pid} exists and has not ended. */
    static boolean isLive(long pid) {
        return stat(pid).filter(s -> !s.isDead()).isPresent();
    }

    /**
     * The live processes whose environment holds exactly {@code entry} ({@code NAME=value}). Reads each
     * process's environment first and the stat of those that match only: one file per process, not two.
     */
    static List<Stat> liveWithEnvironment(String entry) {
        List<Stat> found = new ArrayList<>();
        forEachPid(pid -> {
            if (hasEnvironment(pid, entry)) {
                stat(pid).filter(s -> !s.isDead()).ifPresent(found::add);
            }
        });
        return found;
    }

    /** True if the environment process {@code pid} started with holds exactly {@code entry}. */
    static boolean hasEnvironment(long pid, String entry) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException e) {
            return false;
        }
        byte[] wanted = entry.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i - start == wanted.length && regionEquals(environ, start, wanted)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] wanted) {
        for (int i = 0; i < wanted.length; i++) {
            if (bytes[offset + i] != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    private static long pidOf(Path entry) {
        String name = entry.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
