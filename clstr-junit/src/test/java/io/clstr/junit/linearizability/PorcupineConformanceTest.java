package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs the checker on every row of the Porcupine corpus's verdicts.tsv and requires the listed verdict. */
class PorcupineConformanceTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static Path corpusOrFail() {
        Path corpus = PorcupineFormats.corpus();
        if (!Files.isRegularFile(corpus.resolve("verdicts.tsv"))) {
            fail("Porcupine conformance corpus missing: expected " + corpus.resolve("verdicts.tsv")
                    + " (the repository's sibling ../shared, or -Dclstr.porcupine=DIR)");
        }
        return corpus;
    }

    @Test
    void corpusIsPresentAndComplete() throws Exception {
        List<PorcupineFormats.Row> rows = PorcupineFormats.rows(corpusOrFail());
        assertThat(rows)
                .extracting(PorcupineFormats.Row::model)
                .contains("register", "kv-partitioned", "kv-unpartitioned");
    }

    @TestFactory
    Stream<DynamicTest> everyRowGetsItsVerdict() throws Exception {
        Path corpus = corpusOrFail();
        return PorcupineFormats.rows(corpus).stream()
                .map(row -> DynamicTest.dynamicTest(row.file() + " " + row.model(), () -> {
                    Result<?, ?> result = CorpusRun.check(corpus, row, LIMIT);
                    Verdict expected = row.linearizable() ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
                    assertThat(result.verdict())
                            .as("%s (%s)", row.file(), row.model())
                            .isEqualTo(expected);
                }));
    }
}
