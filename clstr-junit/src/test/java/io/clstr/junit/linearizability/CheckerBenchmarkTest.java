package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke-runs the benchmark on a tiny corpus: it still works and prints its figures (no time is asserted). */
class CheckerBenchmarkTest {

    @TempDir
    Path corpus;

    private void write(String verdictRow) throws Exception {
        Files.createDirectories(corpus.resolve("kv"));
        Files.writeString(corpus.resolve("kv/tiny.txt"), """
                {:process 0, :type :invoke, :f :put, :key "a", :value "1"}
                {:process 1, :type :invoke, :f :get, :key "a", :value nil}
                {:process 0, :type :ok, :f :put, :key "a", :value "1"}
                {:process 1, :type :ok, :f :get, :key "a", :value "1"}
                """);
        Files.writeString(
                corpus.resolve("verdicts.tsv"),
                "file\tmodel\texpected\tevents\treference_checker_ms\n" + verdictRow + "\n");
    }

    @Test
    void printsOneLinePerMeasuredPass() throws Exception {
        write("kv/tiny.txt\tkv-partitioned\tlinearizable\t4\t0.1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CheckerBenchmark.run(
                corpus,
                "kv-partitioned",
                1,
                2,
                Duration.ofSeconds(10),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .hasSize(2)
                .allMatch(line -> line.matches("pass kv-partitioned \\d+\\.\\d{3} 0"));
    }

    @Test
    void aWrongVerdictIsAnError() throws Exception {
        write("kv/tiny.txt\tkv-partitioned\tnot-linearizable\t4\t0.1");
        assertThatThrownBy(() -> CheckerBenchmark.run(
                        corpus,
                        "kv-partitioned",
                        0,
                        1,
                        Duration.ofSeconds(10),
                        new PrintStream(new ByteArrayOutputStream())))
                .hasMessageContaining("got LINEARIZABLE");
    }
}
