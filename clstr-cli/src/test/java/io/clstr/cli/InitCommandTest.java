package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.clstr.junit.internal.config.ClstrYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InitCommandTest {

    @TempDir
    Path dir;

    /** The CI workflow runs every stage reached and keeps the reports, logs and timelines, hidden folders included. */
    @Test
    void theWorkflowRunsEveryStageSoFarAndKeepsTheReportsAndLogs() throws Exception {
        assertThat(Cli.run(dir, "init", "demo", "--language", "python").exitCode())
                .isZero();

        JsonNode workflow = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(dir.resolve(".github/workflows/clstr.yml")));
        JsonNode steps = workflow.at("/jobs/stages/steps");
        List<String> runs = new ArrayList<>();
        List<String> uses = new ArrayList<>();
        steps.forEach(step -> {
            runs.add(step.path("run").asText());
            uses.add(step.path("uses").asText());
        });
        assertThat(workflow.path("on").toString()).contains("push");
        assertThat(runs).contains("clstr test --so-far");
        assertThat(String.join("\n", runs)).contains("CLSTR_URL", "tar -xzf", "GITHUB_PATH");
        assertThat(uses).contains("actions/checkout@v4", "actions/setup-java@v4", "actions/upload-artifact@v4");
        JsonNode upload = steps.get(uses.indexOf("actions/upload-artifact@v4"));
        assertThat(upload.path("if").asText()).isEqualTo("always()");
        assertThat(upload.at("/with/include-hidden-files").asBoolean()).isTrue();
        assertThat(upload.at("/with/path").asText()).contains(".clstr/reports/", ".clstr/logs/", ".clstr/timelines/");
    }

    @Test
    void writesTheSixFilesIntoTheCurrentFolder() throws Exception {
        Cli.Result r = Cli.run(dir, "init", "demo", "--language", "go");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains(
                        "Created Demo Echo Server for Go in .:",
                        "Dockerfile  README.md  clstr.yaml  .gitignore  .dockerignore  .github/workflows/clstr.yml",
                        "clstr guide hello");
        assertThat(Files.readString(dir.resolve(".gitignore"))).contains(".clstr/");
        assertThat(Files.readString(dir.resolve(".dockerignore"))).contains(".clstr/");
        ClstrYaml yaml = ClstrYaml.read(dir);
        assertThat(yaml.challenge()).isEqualTo("demo");
        assertThat(yaml.stage()).isEqualTo("hello");
        assertThat(yaml.runtime()).isEqualTo("auto");
        assertThat(yaml.run()).isNull();
        assertThat(yaml.build()).isNull();
        assertThat(Files.readString(dir.resolve("clstr.yaml")))
                .contains("# build: go build -o server .", "# run: ./server");
    }

    @Test
    void readmeListsTheChallengeItsStagesAndTheirGuides() throws Exception {
        Cli.run(dir, "init", "demo", "-l", "python");

        assertThat(Files.readString(dir.resolve("README.md")))
                .contains(
                        "# Demo Echo Server",
                        "A server that says hello and echoes requests.",
                        "1. `hello`: Node Says Hello (guide: `clstr guide hello`)",
                        "2. `echo`: Node Echoes Requests (guide: `clstr guide echo`)",
                        "`ADDR`",
                        "`PEERS`",
                        "`ROUTES`",
                        "`DATA_DIR`",
                        "GET /health",
                        "clstr next")
                .doesNotContain("{{");
    }

    @ParameterizedTest
    @CsvSource({
        "go, golang, CMD [\"/server\"]",
        "python, python:, CMD [\"python3\", \"server.py\"]",
        "rust, cargo build --release, CMD [\"/server\"]",
        "java, javac, \"Server\"]",
        "node, node:, CMD [\"node\", \"server.js\"]"
    })
    void dockerfileBuildsAndRunsAServerOnPort8080(String language, String builds, String runs) throws Exception {
        Cli.Result r = Cli.run(dir, "init", "demo", "-l", language);

        assertThat(r.exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("Dockerfile")))
                .startsWith("#")
                .contains("FROM ", "COPY . .", builds, "EXPOSE 8080", runs);
        assertThat(Files.readString(dir.resolve("clstr.yaml"))).contains("# run: ");
    }

    @Test
    void writesIntoAGivenPathCreatingIt() {
        Cli.Result r = Cli.run(dir, "init", "demo", "my/server", "-l", "rust");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("in my/server:");
        assertThat(dir.resolve("my/server/clstr.yaml")).exists();
    }

    @Test
    void refusesToOverwriteNamingEveryExistingFileAndWritesNothing() throws Exception {
        Files.writeString(dir.resolve("README.md"), "mine");
        Files.writeString(dir.resolve(".gitignore"), "mine too");

        Cli.Result r = Cli.run(dir, "init", "demo", "-l", "go");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine())
                .startsWith("will not overwrite README.md, .gitignore in .")
                .contains("move them away");
        assertThat(Files.readString(dir.resolve("README.md"))).isEqualTo("mine");
        assertThat(dir.resolve("clstr.yaml")).doesNotExist();
        assertThat(dir.resolve("Dockerfile")).doesNotExist();
        NoStackTrace.assertClean(r);
    }

    @Test
    void pathThatIsAFileIsASetupError() throws Exception {
        Files.writeString(dir.resolve("taken"), "a file");

        Cli.Result r = Cli.run(dir, "init", "demo", "taken", "-l", "go");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).startsWith("cannot write the challenge folder " + dir.resolve("taken"));
        NoStackTrace.assertClean(r);
    }

    @Test
    void unknownChallengeListsTheInstalledOnes() {
        Cli.Result r = Cli.run(dir, "init", "kv-stor", "-l", "go");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine())
                .startsWith("unknown challenge `kv-stor`: choose one of ")
                .contains("demo");
        assertThat(dir.resolve("clstr.yaml")).doesNotExist();
        NoStackTrace.assertClean(r);
    }

    @Test
    void unknownLanguageListsTheValidOnes() {
        Cli.Result r = Cli.run(dir, "init", "demo", "-l", "cobol");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).contains("unknown language `cobol`: choose one of go, python, rust, java, node");
        NoStackTrace.assertClean(r);
    }

    @Test
    void languageIsRequired() {
        Cli.Result r = Cli.run(dir, "init", "demo");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.firstErrLine()).contains("Missing required option", "--language");
    }
}
