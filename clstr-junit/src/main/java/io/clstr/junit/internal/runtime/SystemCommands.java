package io.clstr.junit.internal.runtime;

import io.clstr.junit.SetupException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The absolute paths of the system programs the process runtime relies on: {@code sh},
 * {@code setsid} (util-linux) and {@code kill} (procps or util-linux; the shell's builtin cannot be run directly).
 *
 * @param sh     the POSIX shell that runs the build and run commands
 * @param setsid starts a program as the leader of a new session and process group
 * @param kill   signals a whole process group ({@code kill -s SIG -- -PGID})
 */
record SystemCommands(Path sh, Path setsid, Path kill) {

    /** Finds the programs on {@code PATH} (then in {@code /usr/bin} and {@code /bin}); throws {@link SetupException} naming what is missing. */
    static SystemCommands find() {
        return new SystemCommands(
                locate("sh", "a POSIX shell"), locate("setsid", "util-linux"), locate("kill", "procps"));
    }

    private static Path locate(String name, String packageName) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.add("/usr/bin");
        dirs.add("/bin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new SetupException("install `" + name + "` (" + packageName + "): the process runtime needs it to start"
                + " and signal nodes, and it is not on PATH, in /usr/bin or in /bin");
    }
}
