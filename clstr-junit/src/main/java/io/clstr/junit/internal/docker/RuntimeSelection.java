package io.clstr.junit.internal.docker;

import io.clstr.junit.SetupException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which runtime a run uses (DESIGN.md §8), shared by the extension and the CLI: {@code docker} and
 * {@code process} as asked; {@code auto} is docker when the challenge folder has a Dockerfile and a Docker
 * engine answers, else process. Whether the process runtime has its {@code run:} command is the caller's check.
 */
public final class RuntimeSelection {
    public static final String AUTO = "auto";
    public static final String DOCKER = "docker";
    public static final String PROCESS = "process";

    private RuntimeSelection() {}

    /**
     * {@code docker} or {@code process} for {@code requested} in {@code folder}. {@code auto} runs the
     * {@code run:} command as local processes when clstr.yaml has one ({@code hasRun}); otherwise it
     * builds the Dockerfile when the folder has one and a Docker engine answers; otherwise process.
     * Throws {@link SetupException} for an unknown runtime, and for docker without a Dockerfile or
     * without an engine.
     */
    public static String resolve(String requested, Path folder, boolean hasRun) {
        String runtime = requested == null ? AUTO : requested.trim();
        switch (runtime) {
            case PROCESS:
                return PROCESS;
            case DOCKER:
                if (!hasDockerfile(folder)) {
                    throw noDockerfile(folder);
                }
                DockerEngine.require();
                return DOCKER;
            case AUTO:
                return !hasRun && hasDockerfile(folder) && DockerEngine.answers() ? DOCKER : PROCESS;
            default:
                throw new SetupException("unknown runtime `" + runtime + "`: use auto, docker or process");
        }
    }

    /** The error for a docker run in a folder without a Dockerfile. */
    static SetupException noDockerfile(Path folder) {
        return new SetupException("no Dockerfile in " + folder.toAbsolutePath().normalize() + ": the docker runtime"
                + " builds your server's image from it (add one, or use --runtime process)");
    }

    private static boolean hasDockerfile(Path folder) {
        return Files.isRegularFile(folder.resolve(ImageBuilder.DOCKERFILE));
    }
}
