package io.clstr.junit.internal.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What {@code ps} says about processes: an independent check of what the runtime reads from /proc. */
final class Ps {

    private Ps() {}

    /** One row of {@code ps -e -o pid=,pgid=,stat=}. */
    record Row(long pid, long pgid, String stat) {
        boolean isZombie() {
            return stat.startsWith("Z");
        }
    }

    static List<Row> all() {
        try {
            Process ps = new ProcessBuilder("ps", "-e", "-o", "pid=,pgid=,stat=")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ps.waitFor(30, TimeUnit.SECONDS)) {
                ps.destroyForcibly();
                throw new IllegalStateException("ps did not finish");
            }
            List<Row> rows = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) {
                    rows.add(new Row(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2]));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Pids of the live (not zombie) processes of group {@code pgid}. */
    static List<Long> liveInGroup(long pgid) {
        return all().stream()
                .filter(r -> r.pgid() == pgid && !r.isZombie())
                .map(Row::pid)
                .toList();
    }

    /** True if {@code pid} exists and is not a zombie. */
    static boolean isLive(long pid) {
        return all().stream().anyMatch(r -> r.pid() == pid && !r.isZombie());
    }
}
