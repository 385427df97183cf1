package io.clstr.junit.linearizability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Checks one corpus row with the matching model; shared by the conformance test and the benchmark. */
final class CorpusRun {

    private CorpusRun() {}

    /** The group a row belongs to in the benchmark: jepsen, kv-partitioned or kv-unpartitioned. */
    static String group(PorcupineFormats.Row row) {
        return row.model().equals("register") ? "jepsen" : row.model();
    }

    /** Parses and checks the row's history; returns the result. */
    static Result<?, ?> check(Path corpus, PorcupineFormats.Row row, Duration limit) throws IOException {
        return parse(corpus, row).get(limit);
    }

    /** Parses the row's history; the returned check runs only the checker (what the benchmark times). */
    static Check parse(Path corpus, PorcupineFormats.Row row) throws IOException {
        Path file = corpus.resolve(row.file());
        return switch (row.model()) {
            case "register" -> {
                List<Operation<RegisterInput, Object>> h = PorcupineFormats.jepsen(file);
                yield limit -> Checker.check(Models.register(), h, limit);
            }
            case "kv-partitioned" -> {
                List<Operation<KvInput, Object>> h = PorcupineFormats.kv(file);
                yield limit -> Checker.check(Models.kv(), h, limit);
            }
            case "kv-unpartitioned" -> {
                List<Operation<KvInput, Object>> h = PorcupineFormats.kv(file);
                yield limit -> Checker.check(Models.unpartitioned(Models.kv()), h, limit);
            }
            default -> throw new IllegalArgumentException("unknown model in verdicts.tsv: " + row.model());
        };
    }

    /** A parsed history ready to be checked. */
    interface Check {
        /** Runs the checker with the given time limit. */
        Result<?, ?> get(Duration limit);
    }
}
