package io.clstr.cli.filter;

import org.junit.jupiter.api.Test;

/** A test class that is not a stage: the stage filter leaves it alone (named so that Surefire skips it). */
public class NotAStage {

    @Test
    void runs() {}
}
