package io.clstr.cli.fake;

import io.clstr.junit.SetupException;
import io.clstr.junit.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A stage whose cluster cannot start for a reason the user fixes: no free ports. */
@Stage(key = "setup", title = "No Ports")
public class SetupFailsFake {

    @BeforeAll
    static void start() {
        throw new SetupException("no free ports in 20000-20001: end other clstr runs or choose another range");
    }

    @Test
    void never() {}
}
