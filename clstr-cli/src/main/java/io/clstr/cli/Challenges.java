package io.clstr.cli;

import io.clstr.junit.Challenge;
import io.clstr.junit.SetupException;
import io.clstr.junit.StageInfo;
import java.util.List;
import java.util.stream.Collectors;

/** Looks up challenges and stages by key, with errors that list what exists. */
final class Challenges {

    private Challenges() {}

    /** The installed challenge with {@code key}; otherwise a {@link SetupException} naming the installed ones. */
    static Challenge find(String key) {
        List<Challenge> all = Challenge.all();
        return all.stream()
                .filter(c -> c.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new SetupException("unknown challenge `" + key + "`: "
                        + (all.isEmpty()
                                ? "no challenges are installed"
                                : "choose one of "
                                        + all.stream().map(Challenge::key).collect(Collectors.joining(", "))
                                        + " (see clstr list)")));
    }

    /** As {@link #find}, and the challenge must have stages: one that has none yet is refused. */
    static Challenge available(String key) {
        Challenge challenge = find(key);
        if (!challenge.available()) {
            throw challenge.notAvailable();
        }
        return challenge;
    }

    /** The stage of {@code challenge} with {@code key}; otherwise a {@link SetupException} naming its stages. */
    static StageInfo stage(Challenge challenge, String key) {
        return challenge
                .stage(key)
                .orElseThrow(() -> new SetupException("unknown stage `" + key + "` of " + challenge.key()
                        + ": stages are " + String.join(", ", challenge.stageKeys())));
    }
}
