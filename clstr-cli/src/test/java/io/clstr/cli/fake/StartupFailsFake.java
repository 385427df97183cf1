package io.clstr.cli.fake;

import io.clstr.junit.ServerException;
import io.clstr.junit.Stage;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A stage whose cluster cannot start because the learner's server never gets healthy. */
@Stage(key = "startup", title = "Cluster Never Starts")
public class StartupFailsFake {

    @BeforeAll
    static void start() {
        throw new ServerException(
                "node n1 never answered GET /health with 200 within 10 s: see its log below",
                List.of("listening on 127.0.0.1:20001", "waiting for a database"));
    }

    @Test
    void never() {}
}
