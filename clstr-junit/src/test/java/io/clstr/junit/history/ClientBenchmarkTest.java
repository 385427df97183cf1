package io.clstr.junit.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client benchmark still runs and prints its figures (a smoke run: no speed is asserted). */
class ClientBenchmarkTest {

    @Test
    void aShortRunPrintsFiguresForBothClients() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ClientBenchmark.run(new String[] {"0.2", "1", "4"}, out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("median of 1 rounds, 4 in flight")
                .containsPattern("(?m)^clstr checks +[1-9][0-9]* req/s +p50 +[0-9]+ us +p99 +[0-9]+ us +CPU/request")
                .containsPattern("(?m)^clstr recorded +[1-9][0-9]* req/s +p50")
                .doesNotContain("errors");
    }
}
