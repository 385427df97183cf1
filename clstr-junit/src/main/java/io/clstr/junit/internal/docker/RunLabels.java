package io.clstr.junit.internal.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The labels on everything one run of the docker runtime creates (containers, networks, volumes):
 * {@code io.clstr=true}, the run's id and the JVM that owns it ({@code host/pid/start}), so that the next
 * run can tell a crashed run's leftovers from a live run's resources.
 *
 * @param runId the run's id (12 hex digits), also part of every resource's name
 * @param owner {@code <host>/<pid>/<process start in ms>} of the owning JVM
 */
record RunLabels(String runId, String owner) {
    static final String CLSTR = "io.clstr";
    static final String RUN = "io.clstr.run";
    static final String OWNER = "io.clstr.owner";

    /** Labels for a new run owned by this JVM. */
    static RunLabels create() {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ProcessHandle self = ProcessHandle.current();
        return new RunLabels(
                id, host() + "/" + self.pid() + "/" + startMillis(self).orElse(0L));
    }

    /** The labels themselves. */
    Map<String, String> labels() {
        return Map.of(CLSTR, "true", RUN, runId, OWNER, owner);
    }

    /** {@code clstr-<run id>-<suffix>}: the name of one of the run's resources. */
    String name(String suffix) {
        return "clstr-" + runId + "-" + suffix;
    }

    /**
     * True when {@code owner} (a label value) names a process of this host that no longer runs (or whose id
     * now belongs to a younger process); false for a live owner, another host's run (not ours to judge) or a
     * malformed value.
     */
    static boolean ownerIsGone(String owner) {
        String[] parts = owner == null ? new String[0] : owner.split("/");
        if (parts.length != 3 || !parts[0].equals(host())) {
            return false;
        }
        try {
            long started = Long.parseLong(parts[2]);
            Optional<ProcessHandle> process =
                    ProcessHandle.of(Long.parseLong(parts[1])).filter(ProcessHandle::isAlive);
            return process.isEmpty()
                    || startMillis(process.get()).map(s -> s != started).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    /** The kernel's host name (the UTS namespace's, so a container running clstr has its own). */
    private static String host() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
