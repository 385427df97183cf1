package io.clstr.cli.demo;

import io.clstr.junit.Challenge;
import java.util.List;

/**
 * A challenge registered before it has stages, as a new challenge module is while it is written:
 * the CLI and the mvn test guard must refuse it (a challenge with no stages could never fail).
 */
public final class PlannedChallenge implements Challenge {

    @Override
    public String key() {
        return "planned";
    }

    @Override
    public String name() {
        return "Planned Challenge";
    }

    @Override
    public String summary() {
        return "A challenge whose stages are not written yet.";
    }

    @Override
    public List<Class<?>> stages() {
        return List.of();
    }
}
