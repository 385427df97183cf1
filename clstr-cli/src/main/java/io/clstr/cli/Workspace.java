package io.clstr.cli;

import io.clstr.junit.Challenge;
import io.clstr.junit.SetupException;
import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.config.ClstrYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A challenge folder: where its {@code clstr.yaml} is, what it says, and the challenge it names.
 *
 * @param folder    the challenge folder (absolute)
 * @param yaml      its clstr.yaml
 * @param challenge the challenge clstr.yaml names
 */
record Workspace(Path folder, ClstrYaml yaml, Challenge challenge) {

    /** The folder clstr keeps its runs in. */
    static final String DOT_CLSTR = ".clstr";

    /**
     * Opens the challenge folder {@code start} is in: {@code start} itself or the nearest parent
     * with a clstr.yaml. Errors (no folder, bad clstr.yaml, unknown challenge or stage) are
     * {@link SetupException}s that say what to fix.
     */
    static Workspace open(Path start) {
        Path folder = start.toAbsolutePath().normalize();
        for (Path p = folder; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(ClstrYaml.FILE))) {
                folder = p;
                break;
            }
        }
        ClstrYaml yaml = ClstrYaml.read(folder);
        Challenge challenge;
        try {
            challenge = Challenges.find(yaml.challenge());
        } catch (SetupException e) {
            throw new SetupException(ClstrYaml.FILE + " names an " + e.getMessage());
        }
        if (!challenge.available()) {
            throw new SetupException(ClstrYaml.FILE + " names `" + challenge.key() + "`: "
                    + challenge.notAvailable().getMessage());
        }
        if (challenge.stage(yaml.stage()).isEmpty()) {
            throw new SetupException(ClstrYaml.FILE + " has stage `" + yaml.stage() + "`, which is not a stage of "
                    + challenge.key() + ": use one of " + String.join(", ", challenge.stageKeys()));
        }
        return new Workspace(folder, yaml, challenge);
    }

    /** Where {@code clstr next} notes the last stage it saw pass: {@code .clstr/passed}. */
    static final String PASSED = "passed";

    /**
     * Whether every stage is done: {@code clstr next} saw the last stage pass (a later clstr
     * with more stages makes the folder's stage current again, as {@code clstr next} unlocks the
     * next one).
     */
    boolean finished() {
        Path passed = folder.resolve(DOT_CLSTR).resolve(PASSED);
        try {
            return after(current()).isEmpty()
                    && Files.isRegularFile(passed)
                    && Files.readString(passed).strip().equals(current().key());
        } catch (IOException e) {
            return false;
        }
    }

    /** Notes that {@code stage} passed {@code clstr next}. */
    void notePassed(StageInfo stage) {
        Path passed = folder.resolve(DOT_CLSTR).resolve(PASSED);
        try {
            Files.createDirectories(passed.getParent());
            Files.writeString(passed, stage.key() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + passed, e);
        }
    }

    /** The stage clstr.yaml is on. */
    StageInfo current() {
        return stage(yaml.stage());
    }

    /** The stage with {@code key}, or a {@link SetupException} listing the stages. */
    StageInfo stage(String key) {
        return Challenges.stage(challenge, key);
    }

    /** Every stage, in order. */
    List<StageInfo> stages() {
        return challenge.stages().stream().map(StageInfo::of).toList();
    }

    /** The stages from the first up to and including {@code last}. */
    List<StageInfo> stagesUpTo(StageInfo last) {
        List<StageInfo> all = stages();
        return all.subList(0, indexOf(last) + 1);
    }

    /** The stage after {@code stage}, if any. */
    Optional<StageInfo> after(StageInfo stage) {
        List<StageInfo> all = stages();
        int next = indexOf(stage) + 1;
        return next < all.size() ? Optional.of(all.get(next)) : Optional.empty();
    }

    /** The 0-based position of {@code stage}. */
    int indexOf(StageInfo stage) {
        return challenge.stageKeys().indexOf(stage.key());
    }

    /** {@code <folder>/.clstr}. */
    Path dotClstr() {
        return folder.resolve(DOT_CLSTR);
    }
}
