package io.clstr.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.cli.ExitCode;
import io.clstr.cli.fake.CrashingFake;
import io.clstr.cli.fake.FailingFake;
import io.clstr.cli.fake.PassingFake;
import io.clstr.cli.fake.SetupFailsFake;
import io.clstr.cli.fake.StartupFailsFake;
import io.clstr.cli.text.Printer;
import io.clstr.cli.text.Terminal;
import io.clstr.junit.StageInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageRunnerTest {

    @TempDir
    Path reports;

    private final StringWriter text = new StringWriter();

    private RunResult run(Terminal terminal, Class<?>... stages) {
        List<StageInfo> infos = Stream.of(stages).map(StageInfo::of).toList();
        return new StageRunner(new Printer(new PrintWriter(text)), terminal).run(infos, Map.of(), reports);
    }

    @Test
    void passingStagePrintsTicksWithDurationsAndPassed() {
        RunResult result = run(Terminal.plain(), PassingFake.class);

        assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(withoutDurations(text.toString())).isEqualToNormalizingNewlines("""
                Testing pass: Everything Passes

                ✓ First Check (s)
                ✓ Second Check (s)

                PASSED ✓
                """);
    }

    @Test
    void failingTestPrintsItsMessageAsTheFailureBlockAndSkipsTheRest() {
        RunResult result = run(Terminal.plain(), FailingFake.class);

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(result.failed()).get().extracting(StageOutcome::failedTest).isEqualTo("Leader Election Completes");
        assertThat(withoutDurations(text.toString())).isEqualToNormalizingNewlines("""
                Testing fail: Second Check Fails

                ✓ Passes (s)
                ✗ Leader Election Completes (s)

                  GET /cluster/info on every node → expected exactly one node with json role = "leader"
                    n1 (http://127.0.0.1:20001): 200 {"role":"follower"}
                  Hint: No leader after 3 s.

                - Exactly One Leader Per Term (skipped: an earlier test failed (Leader Election Completes))

                FAILED ✗
                """);
    }

    @Test
    void serverFailureBeforeAnyTestIsClusterStartupWithItsDetailAndExitCode1() {
        RunResult result = run(Terminal.plain(), StartupFailsFake.class);

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(withoutDurations(text.toString())).contains("""
                ✗ CLUSTER STARTUP (s)

                  node n1 never answered GET /health with 200 within 10 s: see its log below
                    listening on 127.0.0.1:20001
                    waiting for a database

                FAILED ✗""");
    }

    @Test
    void setupFailureAtStartupExitsWith2() {
        RunResult result = run(Terminal.plain(), SetupFailsFake.class);

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(text.toString()).contains("✗ CLUSTER STARTUP", "  no free ports in 20000-20001");
    }

    @Test
    void unexpectedExceptionIsOneLineWithoutStackTrace() {
        RunResult result = run(Terminal.plain(), CrashingFake.class);

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(text.toString())
                .contains("  IllegalStateException: the stage itself is broken\n")
                .doesNotContain("second line", "\tat ");
    }

    @Test
    void stopsAtTheFirstFailingStage() {
        RunResult result = run(Terminal.plain(), PassingFake.class, FailingFake.class, PassingFake.class);

        assertThat(result.stages()).extracting(s -> s.stage().key()).containsExactly("pass", "fail");
        assertThat(text.toString()).containsOnlyOnce("PASSED ✓").containsOnlyOnce("FAILED ✗");
    }

    @Test
    void writesOneJunitXmlReportPerStage() throws IOException {
        run(Terminal.plain(), PassingFake.class, FailingFake.class);

        try (Stream<Path> files = Files.list(reports)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("TEST-pass.xml", "TEST-fail.xml");
        }
        assertThat(Files.readString(reports.resolve("TEST-fail.xml")))
                .contains("<testsuite", "Leader Election Completes", "<failure");
    }

    @Test
    void removesReportsOfEarlierRuns() throws IOException {
        Files.writeString(reports.resolve("TEST-old.xml"), "<testsuite/>");

        run(Terminal.plain(), PassingFake.class);

        assertThat(reports.resolve("TEST-old.xml")).doesNotExist();
    }

    @Test
    void colourOnlyWhenTheTerminalHasIt() {
        run(Terminal.coloured(), FailingFake.class);
        assertThat(text.toString()).contains("\u001b[32m✓\u001b[0m", "\u001b[31m✗\u001b[0m", "\u001b[31mFAILED ✗");

        text.getBuffer().setLength(0);
        run(Terminal.plain(), FailingFake.class);
        assertThat(text.toString()).doesNotContain("\u001b[");
    }

    private static String withoutDurations(String s) {
        return s.replaceAll("\\(\\d+\\.\\d\\ds\\)", "(s)");
    }
}
