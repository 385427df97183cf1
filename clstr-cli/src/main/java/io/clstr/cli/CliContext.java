package io.clstr.cli;

import io.clstr.cli.text.Terminal;
import java.nio.file.Path;

/**
 * What commands run against besides their arguments: the folder clstr was started in and
 * the terminal it writes to. Tests pass their own; {@link Main} detects both.
 *
 * @param workDir  the folder clstr runs in (the challenge folder, usually)
 * @param terminal how output is styled
 */
public record CliContext(Path workDir, Terminal terminal) {

    public CliContext {
        workDir = workDir.toAbsolutePath().normalize();
    }
}
