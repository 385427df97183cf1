package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListCommandTest {

    @TempDir
    Path dir;

    @Test
    void listsChallengesWithTheirStageCounts() {
        Cli.Result r = Cli.run(dir, "list");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .containsPattern("demo +Demo Echo Server \\(2 stages\\)")
                .contains("A server that says hello and echoes requests.")
                .contains("clstr init <challenge> --language");
    }
}
