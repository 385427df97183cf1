package io.clstr.junit.linearizability;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the checker on one group of the Porcupine corpus, the counterpart of
 * {@code bench/porcupine/clstr_bench_test.go} (run both by {@code bench/checker-vs-porcupine.sh}):
 * parses the group's histories, runs {@code warmup} unmeasured passes, then prints one line per
 * measured pass, {@code pass <group> <milliseconds> <histories without a verdict>}, the time being
 * the checks only. Groups: jepsen, kv-partitioned, kv-unpartitioned (the rows of verdicts.tsv), and
 * c50-unpartitioned (c50-ok and c50-bad checked as one object, not in verdicts.tsv). A wrong verdict
 * is an error.
 */
public final class CheckerBenchmark {

    private CheckerBenchmark() {}

    /** Arguments: group [warm-up passes, default 0] [measured passes, default 1] [limit per history in s, default 60]. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: CheckerBenchmark <group> [warmup] [passes] [limit seconds]");
        }
        Path corpus = PorcupineFormats.corpus();
        if (!Files.isRegularFile(corpus.resolve("verdicts.tsv"))) {
            throw new IllegalStateException("corpus missing: " + corpus);
        }
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Duration limit = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 60);
        run(corpus, args[0], warmup, passes, limit, System.out);
    }

    /** Runs the passes of {@code group} over {@code corpus}, printing the measured ones to {@code out}. */
    static void run(Path corpus, String group, int warmup, int passes, Duration limit, PrintStream out)
            throws Exception {
        List<PorcupineFormats.Row> rows = rows(corpus, group);
        List<CorpusRun.Check> checks = new ArrayList<>();
        for (PorcupineFormats.Row row : rows) {
            checks.add(CorpusRun.parse(corpus, row));
        }
        for (int pass = 0; pass < warmup + passes; pass++) {
            int unknown = 0;
            long start = System.nanoTime();
            for (int i = 0; i < rows.size(); i++) {
                Result<?, ?> result = checks.get(i).get(limit);
                if (result.verdict() == Verdict.UNKNOWN) {
                    unknown++;
                } else if (result.isLinearizable() != rows.get(i).linearizable()) {
                    throw new IllegalStateException(
                            rows.get(i).file() + " " + rows.get(i).model() + ": got " + result.verdict());
                }
            }
            double ms = (System.nanoTime() - start) / 1e6;
            if (pass >= warmup) {
                out.printf(Locale.ROOT, "pass %s %.3f %d%n", group, ms, unknown);
            }
        }
        out.flush();
    }

    private static List<PorcupineFormats.Row> rows(Path corpus, String group) throws Exception {
        if (group.equals("c50-unpartitioned")) {
            return List.of(
                    new PorcupineFormats.Row("kv/c50-ok.txt", "kv-unpartitioned", true, 0, 0),
                    new PorcupineFormats.Row("kv/c50-bad.txt", "kv-unpartitioned", false, 0, 0));
        }
        List<PorcupineFormats.Row> rows = PorcupineFormats.rows(corpus).stream()
                .filter(r -> CorpusRun.group(r).equals(group))
                .toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows of group " + group + " in " + corpus);
        }
        return rows;
    }
}
