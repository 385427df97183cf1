package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.internal.config.ClstrYaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learner's path through clstr, on the demo challenge, in a fresh folder. */
class EndToEndTest {

    @TempDir
    Path dir;

    private DemoFolder demo;

    @AfterEach
    void nothingLeftRunning() throws InterruptedException {
        if (demo != null) {
            demo.assertNothingRunning();
        }
    }

    @Test
    void initTestNextStatusLogs() throws Exception {
        Cli.Result init = Cli.run(dir, "init", "demo", "--language", "java");
        assertThat(init.exitCode()).as(init.all()).isZero();

        Cli.Result noRun = Cli.run(dir, "test", "--runtime", "process");
        assertThat(noRun.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noRun.firstErrLine()).startsWith("add a `run:` command to clstr.yaml");
        NoStackTrace.assertClean(noRun);

        demo = DemoFolder.create(dir.resolve("unused"), "hello", "");
        Path yaml = dir.resolve("clstr.yaml");
        Files.writeString(yaml, Files.readString(yaml) + "run: " + demo.runCommand() + "\n", StandardCharsets.UTF_8);

        Cli.Result test = Cli.run(dir, "test", "--runtime", "process");
        assertThat(test.exitCode()).as(test.all()).isZero();
        assertThat(test.out())
                .contains(
                        "Testing hello: Node Says Hello",
                        "✓ GET /hello Answers Hello (",
                        "✓ GET /hello Answers Hello Again (",
                        "PASSED ✓",
                        "Run clstr next to unlock echo.");
        assertThat(dir.resolve(".clstr/reports/TEST-hello.xml")).exists();

        Cli.Result next = Cli.run(dir, "next", "--runtime", "process"); // the folder has a Dockerfile
        assertThat(next.exitCode()).as(next.all()).isZero();
        assertThat(next.out()).contains("PASSED ✓", "Unlocked stage 2 of 2: echo: Node Echoes Requests");
        assertThat(ClstrYaml.read(dir).stage()).isEqualTo("echo");
        assertThat(Files.readString(yaml))
                .contains(
                        "runtime: auto          # auto | docker | process",
                        "# build: javac -d out",
                        "# Extra environment for every node");

        Cli.Result status = Cli.run(dir, "status");
        assertThat(status.out()).contains("✓ hello", "→ echo", "Guide: clstr guide echo");

        Cli.Result logs = Cli.run(dir, "logs");
        assertThat(logs.exitCode()).as(logs.all()).isZero();
        assertThat(logs.out()).contains("n1", "*** ", "demo server listening on");
        assertThat(Cli.run(dir, "logs", "n1").out()).contains("demo server listening on");
    }

    @Test
    void failingStageShowsTheCheckTheSeedAndDoesNotAdvance() throws Exception {
        demo = DemoFolder.create(dir, "hello", "env:\n  DEMO_BUG: hello\n");

        Cli.Result next = Cli.run(dir, "next", "--seed", "42");

        assertThat(next.exitCode()).as(next.all()).isEqualTo(ExitCode.FAILED);
        assertThat(next.out())
                .contains(
                        "✗ GET /hello Answers Hello (",
                        "  GET /hello → expected 200 \"hello\"",
                        ": 200 \"bye\"",
                        "  Hint: /hello answers with the body hello.",
                        "- GET /hello Answers Hello Again (skipped",
                        "FAILED ✗",
                        "Read the guide: clstr guide hello · See the logs: clstr logs")
                .containsOnlyOnce("--seed 42");
        assertThat(demo.yaml()).contains("stage: hello   # the current stage");
        NoStackTrace.assertClean(next);
    }

    @Test
    void soFarRunsEveryStageInOrderAndStopsAtTheFirstFailure() throws Exception {
        demo = DemoFolder.create(dir, "hello", "build: echo built >> builds.txt\nenv:\n  DEMO_BUG: echo\n");

        Cli.Result passing = Cli.run(dir, "test", "hello", "--so-far");
        assertThat(passing.exitCode()).as(passing.all()).isZero();
        assertThat(passing.out()).containsOnlyOnce("Testing ").contains("Run clstr next to unlock echo.");

        Cli.Result failing = Cli.run(dir, "test", "echo", "--so-far");
        assertThat(failing.exitCode()).as(failing.all()).isEqualTo(ExitCode.FAILED);
        String out = failing.out();
        assertThat(out.indexOf("Testing hello"))
                .isLessThan(out.indexOf("Testing echo"))
                .isNotNegative();
        assertThat(out).contains("✗ POST /echo Returns The Body", "Read the guide: clstr guide echo");
        assertThat(dir.resolve(".clstr/reports/TEST-hello.xml")).exists();
        assertThat(dir.resolve(".clstr/reports/TEST-echo.xml")).exists();
        assertThat(Files.readAllLines(dir.resolve("builds.txt")))
                .as("one build per run")
                .hasSize(2);
    }

    @Test
    void nextAtTheLastStageCongratulates() throws Exception {
        demo = DemoFolder.create(dir, "echo", "");

        Cli.Result next = Cli.run(dir, "next");

        assertThat(next.exitCode()).as(next.all()).isZero();
        assertThat(next.out()).contains("Congratulations! You have passed every stage of Demo Echo Server.");
        assertThat(ClstrYaml.read(dir).stage()).isEqualTo("echo");
        assertThat(Cli.run(dir, "status").out())
                .contains("✓ hello", "✓ echo", "All 2 stages passed. Run them all again: clstr test --so-far")
                .doesNotContain("→", "When it passes: clstr next");
    }

    @Test
    void onlyRunsOneTestOfAStageAndAnUnknownNameListsTheTests() throws Exception {
        demo = DemoFolder.create(dir, "hello", "");

        Cli.Result one = Cli.run(dir, "test", "hello", "--only", "GET /hello Answers Hello Again");

        assertThat(one.exitCode()).as(one.all()).isZero();
        assertThat(one.out())
                .contains(
                        "✓ GET /hello Answers Hello Again (", "PASSED ✓", "Only \"GET /hello Answers Hello Again\" ran")
                .doesNotContain("✓ GET /hello Answers Hello (", "not selected", "Run clstr next");

        Cli.Result unknown = Cli.run(dir, "test", "hello", "--only", "GET /bye");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.firstErrLine())
                .isEqualTo("`GET /bye` is not a test of hello: its tests are \"GET /hello Answers Hello\", "
                        + "\"GET /hello Answers Hello Again\"");
        NoStackTrace.assertClean(unknown);
    }
}
