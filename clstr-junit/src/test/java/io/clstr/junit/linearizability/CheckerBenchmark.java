package io.clstr.junit.linearizability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Times the checker per corpus group (cold first run, warm median of 5) against the reference times. */
public final class CheckerBenchmark {

    private static final List<String> GROUPS = List.of("jepsen", "kv-partitioned", "kv-unpartitioned");
    private static final int WARMUP = 3;
    private static final int RUNS = 5;

    private CheckerBenchmark() {}

    /** Prints a Markdown table of cold and warm totals per group next to the reference checker's. */
    public static void main(String[] args) throws Exception {
        Path corpus = PorcupineFormats.corpus();
        if (!Files.isRegularFile(corpus.resolve("verdicts.tsv"))) {
            throw new IllegalStateException("corpus missing: " + corpus);
        }
        List<PorcupineFormats.Row> rows = PorcupineFormats.rows(corpus);
        Map<String, Double> reference = new LinkedHashMap<>();
        for (PorcupineFormats.Row row : rows) {
            reference.merge(CorpusRun.group(row), row.referenceMs(), Double::sum);
        }
        Map<String, Double> cold = pass(corpus, rows);
        for (int i = 0; i < WARMUP; i++) {
            pass(corpus, rows);
        }
        Map<String, double[]> warm = new LinkedHashMap<>();
        for (int r = 0; r < RUNS; r++) {
            Map<String, Double> times = pass(corpus, rows);
            for (String g : GROUPS) {
                warm.computeIfAbsent(g, k -> new double[RUNS])[r] = times.getOrDefault(g, 0.0);
            }
        }
        System.out.println(
                "| group | rows | reference (ms) | cold (ms) | warm median of " + RUNS + " (ms) | warm speed-up |");
        System.out.println("|---|---|---|---|---|---|");
        for (String g : GROUPS) {
            long count = rows.stream().filter(r -> CorpusRun.group(r).equals(g)).count();
            double[] w = warm.get(g).clone();
            Arrays.sort(w);
            double median = w[RUNS / 2];
            double ref = reference.getOrDefault(g, 0.0);
            System.out.printf(
                    "| %s | %d | %.1f | %.1f | %.1f | %.1f× |%n", g, count, ref, cold.get(g), median, ref / median);
        }
    }

    /** One pass over all rows, timing the check (not the parse) per group; fails on a wrong verdict. */
    private static Map<String, Double> pass(Path corpus, List<PorcupineFormats.Row> rows) throws Exception {
        Map<String, Double> times = new LinkedHashMap<>();
        for (PorcupineFormats.Row row : rows) {
            CorpusRun.Check check = CorpusRun.parse(corpus, row);
            long start = System.nanoTime();
            Result<?, ?> result = check.get(Duration.ofSeconds(60));
            double ms = (System.nanoTime() - start) / 1e6;
            if (result.isLinearizable() != row.linearizable() || result.verdict() == Verdict.UNKNOWN) {
                throw new IllegalStateException(row.file() + " " + row.model() + ": got " + result.verdict());
            }
            times.merge(CorpusRun.group(row), ms, Double::sum);
        }
        return times;
    }
}
