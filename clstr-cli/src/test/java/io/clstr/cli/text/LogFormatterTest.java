package io.clstr.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.internal.log.LogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogFormatterTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void offsetsAreSecondsWithMilliseconds() {
        assertThat(LogFormatter.offset(T0, T0)).isEqualTo("   +0.000s");
        assertThat(LogFormatter.offset(T0, T0.plusMillis(83_456))).isEqualTo("  +83.456s");
    }

    @Test
    void eventsAreMarkedAndColouredOnATerminal() {
        List<LogEntry> entries = List.of(
                new LogEntry(T0, "cluster", null, "CLUSTER READY"),
                new LogEntry(T0.plusMillis(5), "n1", null, "KILL"),
                new LogEntry(T0.plusMillis(7), "n1", "hello", null));

        assertThat(new LogFormatter(Terminal.coloured()).format(entries, Set.of()))
                .anySatisfy(l -> assertThat(l).contains("\u001b[36m*** CLUSTER READY"))
                .anySatisfy(l -> assertThat(l).contains("\u001b[33m*** KILL"));
        assertThat(new LogFormatter(Terminal.plain()).format(entries, Set.of("n1")))
                .containsExactly(
                        "   +0.000s  cluster  *** CLUSTER READY",
                        "   +0.005s  n1       *** KILL",
                        "   +0.007s  n1       hello");
    }
}
