package io.clstr.junit.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.SetupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClstrYamlTest {
    @TempDir
    Path dir;

    private void write(String text) throws IOException {
        Files.writeString(dir.resolve("clstr.yaml"), text);
    }

    @Test
    void aFileReadAgainGivesWhatItSaysNow() throws IOException {
        write("challenge: kv-store\nstage: http-api\n");
        ClstrYaml first = ClstrYaml.read(dir);
        assertThat(ClstrYaml.read(dir)).isEqualTo(first);

        write("challenge: kv-store\nstage: persistence\n");
        assertThat(ClstrYaml.read(dir).stage()).isEqualTo("persistence");

        write("challenge: kv-store\nstage: persistence\nsurprise: 1\n");
        assertThatThrownBy(() -> ClstrYaml.read(dir)).isInstanceOf(SetupException.class);
        assertThatThrownBy(() -> ClstrYaml.read(dir)).isInstanceOf(SetupException.class);
    }

    @Test
    void readsEveryKey() throws IOException {
        write("""
                challenge: kv-store
                stage: persistence
                runtime: process
                build: go build -o server .
                build_timeout: 90s
                run: ./server
                env:
                  LOG_LEVEL: debug
                  PORTS: 3
                """);
        ClstrYaml yaml = ClstrYaml.read(dir);
        assertThat(yaml)
                .isEqualTo(new ClstrYaml(
                        "kv-store",
                        "persistence",
                        "process",
                        "go build -o server .",
                        "./server",
                        Map.of("LOG_LEVEL", "debug", "PORTS", "3"),
                        java.time.Duration.ofSeconds(90)));
    }

    @Test
    void buildTimeoutTakesSecondsOrMinutesAndRejectsAnythingElse() throws IOException {
        write("challenge: kv-store\nstage: http-api\nbuild_timeout: 10m\n");
        assertThat(ClstrYaml.read(dir).buildTimeout()).isEqualTo(java.time.Duration.ofMinutes(10));
        write("challenge: kv-store\nstage: http-api\nbuild_timeout: 600\n");
        assertThat(ClstrYaml.read(dir).buildTimeout()).isEqualTo(java.time.Duration.ofMinutes(10));
        for (String bad : List.of("soon", "0", "10h", "99999999999")) {
            write("challenge: kv-store\nstage: http-api\nbuild_timeout: " + bad + "\n");
            assertThatThrownBy(() -> ClstrYaml.read(dir))
                    .isInstanceOf(SetupException.class)
                    .hasMessage("clstr.yaml has build_timeout `" + bad + "`: give a duration such as 90s or 10m");
        }
    }

    @Test
    void runtimeDefaultsToAutoAndCommandsToNull() throws IOException {
        write("challenge: kv-store\nstage: http-api\n");
        ClstrYaml yaml = ClstrYaml.read(dir);
        assertThat(yaml.runtime()).isEqualTo("auto");
        assertThat(yaml.run()).isNull();
        assertThat(yaml.build()).isNull();
        assertThat(yaml.env()).isEmpty();
        assertThat(yaml.buildTimeout()).isNull();
    }

    @Test
    void missingFileSaysWhereToRun() {
        assertThatThrownBy(() -> ClstrYaml.read(dir))
                .isInstanceOf(SetupException.class)
                .hasMessageStartingWith(
                        "no clstr.yaml in " + dir.toAbsolutePath().normalize())
                .hasMessageContaining("clstr init");
    }

    @Test
    void unknownKeyIsNamed() throws IOException {
        write("challenge: kv-store\nstage: http-api\nnodes: 3\n");
        assertThatThrownBy(() -> ClstrYaml.read(dir))
                .isInstanceOf(SetupException.class)
                .hasMessage("clstr.yaml has an unknown key `nodes`: allowed keys are challenge, stage, runtime, build,"
                        + " build_timeout, run, env");
    }

    @Test
    void textThatIsNotUtf8IsNamedSo() throws IOException {
        Files.write(dir.resolve(ClstrYaml.FILE), new byte[] {'s', 't', 'a', 'g', 'e', ':', ' ', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> ClstrYaml.read(dir))
                .isInstanceOf(SetupException.class)
                .hasMessage("clstr.yaml is not UTF-8 text: save it as UTF-8");
    }

    @Test
    void malformedYamlIsOneLine() throws IOException {
        write("challenge: kv-store\n  stage: [unclosed\n");
        assertThatThrownBy(() -> ClstrYaml.read(dir))
                .isInstanceOf(SetupException.class)
                .hasMessageStartingWith("clstr.yaml is not valid YAML: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void badRuntimeAndMissingKeysAreRejected() throws IOException {
        write("challenge: kv-store\nstage: http-api\nruntime: vm\n");
        assertThatThrownBy(() -> ClstrYaml.read(dir))
                .hasMessage("clstr.yaml has runtime `vm`: use auto, docker or process");
        write("stage: http-api\n");
        assertThatThrownBy(() -> ClstrYaml.read(dir)).hasMessageStartingWith("clstr.yaml needs `challenge:`");
        write("challenge: kv-store\n");
        assertThatThrownBy(() -> ClstrYaml.read(dir)).hasMessageStartingWith("clstr.yaml needs `stage:`");
        write("");
        assertThatThrownBy(() -> ClstrYaml.read(dir)).hasMessageStartingWith("clstr.yaml is empty");
    }

    @Test
    void writeStageKeepsCommentsAndOtherLines() throws IOException {
        write("""
                # my notes
                challenge: kv-store
                stage: http-api   # current
                run: ./server     # stage: not this one
                """);
        ClstrYaml.writeStage(dir, "persistence");
        assertThat(Files.readString(dir.resolve("clstr.yaml"))).isEqualTo("""
                # my notes
                challenge: kv-store
                stage: persistence   # current
                run: ./server     # stage: not this one
                """);
        assertThat(ClstrYaml.read(dir).stage()).isEqualTo("persistence");
    }
}
