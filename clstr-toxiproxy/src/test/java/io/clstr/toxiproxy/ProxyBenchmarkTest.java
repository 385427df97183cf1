package io.clstr.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The proxy benchmark still runs and prints its figures (a smoke run: no speed is asserted). */
class ProxyBenchmarkTest {

    @Test
    void aShortRunPrintsFiguresForEveryRoute() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ProxyBenchmark.run(new String[] {"2", "0.1", "1", "50"}, out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("median of 1 rounds, 2 keep-alive connections")
                .containsPattern("(?m)^direct +[1-9][0-9]* req/s +100\\.0 %")
                .containsPattern("(?m)^embedded +[1-9][0-9]* req/s +[0-9.]+ % +[0-9.]+ us");
        if (!printed.contains("haproxy not found")) {
            assertThat(printed)
                    .containsPattern("(?m)^haproxy +[1-9][0-9]* req/s")
                    .contains("embedded / haproxy throughput");
        }
    }
}
