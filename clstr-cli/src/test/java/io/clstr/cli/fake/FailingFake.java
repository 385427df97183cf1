package io.clstr.cli.fake;

import io.clstr.junit.Stage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** A stage without a cluster whose second test fails the way a check does; the third is skipped. */
@Stage(key = "fail", title = "Second Check Fails")
public class FailingFake {

    @Test
    @DisplayName("Passes")
    void passes() {}

    @Test
    @DisplayName("Leader Election Completes")
    void fails() {
        throw new AssertionFailedError(
                "GET /cluster/info on every node → expected exactly one node with json role = \"leader\"\n"
                        + "  n1 (http://127.0.0.1:20001): 200 {\"role\":\"follower\"}\n"
                        + "Hint: No leader after 3 s.");
    }

    @Test
    @DisplayName("Exactly One Leader Per Term")
    void skipped() {
        Assumptions.abort("skipped: an earlier test failed (Leader Election Completes)");
    }
}
