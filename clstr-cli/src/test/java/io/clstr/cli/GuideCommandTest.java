package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.cli.text.Terminal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuideCommandTest {

    @TempDir
    Path dir;

    @Test
    void showsTheCurrentStagesGuide() throws Exception {
        DemoFolder.create(dir, "hello", "");

        Cli.Result r = Cli.run(dir, "guide");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .startsWith("Node Says Hello\n===============\n")
                .contains("  - listen on the port of `ADDR`", "    curl http://$ADDR/hello")
                .doesNotContain("```", "\u001b[");
    }

    @Test
    void showsANamedStagesGuide() throws Exception {
        DemoFolder.create(dir, "hello", "");

        assertThat(Cli.run(dir, "guide", "echo").out()).startsWith("Node Echoes Requests\n");
    }

    @Test
    void rendersForTheTerminalWhenItHasColour() throws Exception {
        DemoFolder.create(dir, "hello", "");

        Cli.Result r = Cli.run(dir, Terminal.coloured(), "guide");

        assertThat(r.out()).startsWith("\u001b[1;4mNode Says Hello\u001b[0m").contains("•");
    }

    @Test
    void unknownStageListsTheStages() throws Exception {
        DemoFolder.create(dir, "hello", "");

        Cli.Result r = Cli.run(dir, "guide", "leader");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).isEqualTo("unknown stage `leader` of demo: stages are hello, echo");
        NoStackTrace.assertClean(r);
    }
}
