package io.clstr.cli.run;

import io.clstr.junit.SetupException;
import io.clstr.junit.config.ClstrYaml;
import java.util.Set;

/**
 * Picks the runtime a run uses from {@code --runtime} or clstr.yaml's {@code runtime:}.
 * {@code auto} is docker when the folder has a Dockerfile and an engine answers, else process
 * when {@code run:} is set. The docker runtime is not available in this version of clstr, so
 * {@code auto} resolves to process, and asking for docker explicitly says what to use instead.
 */
public final class RuntimeChoice {
    /** The only runtime this version can run. */
    public static final String PROCESS = "process";

    private static final Set<String> KNOWN = Set.of("auto", "docker", PROCESS);

    private RuntimeChoice() {
    }

    /**
     * The runtime to run with: {@code requested} (the flag; null when absent) or clstr.yaml's.
     * Throws {@link SetupException} when it is unknown, unavailable, or lacks a {@code run:} command.
     */
    public static String resolve(String requested, ClstrYaml yaml) {
        String runtime = requested != null ? requested : yaml.runtime();
        if (!KNOWN.contains(runtime)) {
            throw new SetupException("unknown runtime `" + runtime + "`: use auto, docker or process");
        }
        if (runtime.equals("docker")) {
            throw new SetupException("the docker runtime is not available yet: use --runtime process"
                    + " (or `runtime: process` in clstr.yaml) with a `run:` command");
        }
        if (yaml.run() == null) {
            throw new SetupException("add a `run:` command to clstr.yaml: the process runtime starts each node"
                    + " with it (for example `run: ./server`; see the examples in clstr.yaml)");
        }
        return PROCESS;
    }
}
