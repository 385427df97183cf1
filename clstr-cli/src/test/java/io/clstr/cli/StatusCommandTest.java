package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir
    Path dir;

    @Test
    void firstStageIsCurrentAndTheRestAhead() throws Exception {
        DemoFolder.create(dir, "hello", "");

        Cli.Result r = Cli.run(dir, "status");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualToNormalizingNewlines("""
                Demo Echo Server (demo)

                → hello  Node Says Hello
                · echo   Node Echoes Requests

                Stage 1 of 2. Guide: clstr guide hello
                Test it: clstr test · When it passes: clstr next
                """);
    }

    @Test
    void earlierStagesAreDone() throws Exception {
        DemoFolder.create(dir, "echo", "");

        Cli.Result r = Cli.run(dir, "status");

        assertThat(r.out())
                .contains(
                        "✓ hello  Node Says Hello",
                        "→ echo   Node Echoes Requests",
                        "Stage 2 of 2. Guide: clstr guide echo");
    }

    @Test
    void afterTheLastStagePassedClstrNextEveryStageIsDone() throws Exception {
        DemoFolder.create(dir, "echo", "");
        Files.createDirectories(dir.resolve(".clstr"));
        Files.writeString(dir.resolve(".clstr/passed"), "echo\n");

        Cli.Result r = Cli.run(dir, "status");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualToNormalizingNewlines("""
                Demo Echo Server (demo)

                ✓ hello  Node Says Hello
                ✓ echo   Node Echoes Requests

                All 2 stages passed. Run them all again: clstr test --so-far
                """);
    }

    @Test
    void aPassNotedForAnEarlierStageLeavesTheCurrentOneCurrent() throws Exception {
        DemoFolder.create(dir, "echo", "");
        Files.createDirectories(dir.resolve(".clstr"));
        Files.writeString(dir.resolve(".clstr/passed"), "hello\n");

        assertThat(Cli.run(dir, "status").out()).contains("→ echo", "Stage 2 of 2.");
    }
}
