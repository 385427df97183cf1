package io.clstr.cli.run;

import io.clstr.junit.SetupException;
import io.clstr.junit.internal.config.ClstrYaml;
import io.clstr.junit.internal.docker.RuntimeSelection;
import java.nio.file.Path;

/**
 * Picks the runtime a run uses from {@code --runtime} or clstr.yaml's {@code runtime:}.
 * {@code auto} is process when clstr.yaml has a {@code run:} command; otherwise docker when the folder
 * has a Dockerfile and a Docker engine answers (see {@link RuntimeSelection}).
 */
public final class RuntimeChoice {
    /** The process runtime. */
    public static final String PROCESS = RuntimeSelection.PROCESS;
    /** The docker runtime. */
    public static final String DOCKER = RuntimeSelection.DOCKER;

    private RuntimeChoice() {}

    /**
     * The runtime to run with in {@code folder}: {@code requested} (the flag; null when absent) or clstr.yaml's.
     * Throws {@link SetupException} when it is unknown, unavailable (docker without a Dockerfile or an engine),
     * or the process runtime lacks a {@code run:} command.
     */
    public static String resolve(String requested, ClstrYaml yaml, Path folder) {
        String runtime =
                RuntimeSelection.resolve(requested != null ? requested : yaml.runtime(), folder, yaml.run() != null);
        if (runtime.equals(PROCESS) && yaml.run() == null) {
            throw new SetupException("add a `run:` command to clstr.yaml: the process runtime starts each node"
                    + " with it (for example `run: ./server`; see the examples in clstr.yaml)");
        }
        return runtime;
    }
}
