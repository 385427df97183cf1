package io.clstr.cli.fake;

import io.clstr.junit.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stage without a cluster whose tests pass: for the report's tests. */
@Stage(key = "pass", title = "Everything Passes")
public class PassingFake {

    @Test
    @DisplayName("First Check")
    void first() {}

    @Test
    @DisplayName("Second Check")
    void second() {}
}
