package io.clstr.cli.demo;

import io.clstr.junit.Challenge;
import java.util.List;

/** A two-stage challenge for the CLI's tests, so they need no real challenge module. */
public final class DemoChallenge implements Challenge {

    @Override
    public String key() {
        return "demo";
    }

    @Override
    public String name() {
        return "Demo Echo Server";
    }

    @Override
    public String summary() {
        return "A server that says hello and echoes requests.";
    }

    @Override
    public List<Class<?>> stages() {
        return List.of(HelloStage.class, EchoStage.class);
    }
}
