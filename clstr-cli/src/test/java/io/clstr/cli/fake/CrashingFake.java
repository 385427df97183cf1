package io.clstr.cli.fake;

import io.clstr.junit.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stage whose test throws something that is not a check failure. */
@Stage(key = "crash", title = "Test Throws")
public class CrashingFake {

    @Test
    @DisplayName("Throws")
    void throwsSomething() {
        throw new IllegalStateException("the stage itself is broken\nsecond line");
    }
}
