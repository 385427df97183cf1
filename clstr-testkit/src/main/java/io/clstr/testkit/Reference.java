package io.clstr.testkit;

import io.clstr.junit.Challenge;
import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.docker.RuntimeSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A challenge's reference solution: the folder {@code reference/<challenge key>} (with its
 * clstr.yaml), found by walking up from the working directory (Maven runs tests in the module's
 * folder), or {@code -Dclstr.reference=<folder>}. Runs the challenge's stages against it.
 *
 * <pre>{@code
 * static final Reference REFERENCE = Reference.of(new QueueChallenge());
 * REFERENCE.run(HttpApi.class, "unsafe-ids").report();
 * }</pre>
 */
public final class Reference {

    private final Challenge challenge;
    private Path folder;

    private Reference(Challenge challenge) {
        this.challenge = challenge;
    }

    /** The reference of {@code challenge}; its folder is looked up when first needed. */
    public static Reference of(Challenge challenge) {
        return new Reference(challenge);
    }

    /** The challenge. */
    public Challenge challenge() {
        return challenge;
    }

    /** The reference's folder (absolute). */
    public synchronized Path folder() {
        if (folder == null) {
            folder = find(challenge.key());
        }
        return folder;
    }

    /** Runs {@code stage} against the reference, with {@code REFERENCE_BUG=bug} when {@code bug} is not null. */
    public StageRun.Outcome run(Class<?> stage, String bug) {
        return StageRun.run(folder(), stage, bug, null);
    }

    /** As {@link #run(Class, String)}, running only the test method named {@code method}. */
    public StageRun.Outcome run(Class<?> stage, String bug, String method) {
        return StageRun.run(folder(), stage, bug, method);
    }

    /** Runs {@code stage} against the reference in the docker runtime: its Dockerfile's image, one container per node. */
    public StageRun.Outcome runInDocker(Class<?> stage) {
        return StageRun.run(folder(), RuntimeSelection.DOCKER, stage, null, null);
    }

    /**
     * The stages to run: all of the challenge's, in order, or those named by
     * {@code -Dclstr.stages=<key>[,<key>]} (for running one stage while working on it).
     */
    public List<Class<?>> selectedStages() {
        List<Class<?>> all = challenge.stages();
        String wanted = System.getProperty("clstr.stages", "").trim();
        if (wanted.isEmpty()) {
            return all;
        }
        List<String> keys = List.of(wanted.split("\\s*,\\s*"));
        List<Class<?>> selected =
                all.stream().filter(s -> keys.contains(StageInfo.of(s).key())).toList();
        if (selected.size() != keys.size()) {
            throw new IllegalArgumentException("-Dclstr.stages=" + wanted + " names an unknown stage; stages are "
                    + all.stream().map(s -> StageInfo.of(s).key()).collect(Collectors.joining(", ")));
        }
        return selected;
    }

    private static Path find(String key) {
        String explicit = System.getProperty("clstr.reference");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("reference").resolve(key);
            if (Files.isRegularFile(candidate.resolve("clstr.yaml"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("no reference/" + key + "/clstr.yaml above "
                + Path.of("").toAbsolutePath() + "; run from the repository or pass -Dclstr.reference=<folder>");
    }
}
