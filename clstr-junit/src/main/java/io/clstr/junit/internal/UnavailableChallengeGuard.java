package io.clstr.junit.internal;

import io.clstr.junit.Challenge;
import io.clstr.junit.internal.config.ClstrYaml;
import io.clstr.junit.internal.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails a {@code mvn test} run at once when clstr.yaml names a challenge that has no stages yet:
 * such a run would discover no test and pass, and a challenge with no stages must never pass.
 * Registered through {@code ServiceLoader}; it reads clstr.yaml where {@link StageFilter} does and
 * leaves every other problem of clstr.yaml to it.
 */
public final class UnavailableChallengeGuard implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        unavailable().ifPresent(challenge -> {
            throw challenge.notAvailable();
        });
    }

    private static Optional<Challenge> unavailable() {
        Path folder = Settings.folder();
        if (!Files.isRegularFile(folder.resolve(ClstrYaml.FILE))) {
            return Optional.empty();
        }
        String key;
        try {
            key = ClstrYaml.read(folder).challenge();
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // the stage filter reports what is wrong with clstr.yaml
        }
        return Challenge.find(key).filter(c -> !c.available());
    }
}
