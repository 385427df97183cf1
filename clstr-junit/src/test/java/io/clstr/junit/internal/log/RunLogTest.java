package io.clstr.junit.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {
    @TempDir
    Path dir;

    @Test
    void writesOneFilePerNodeAndReadsThemInterleavedByTime() throws IOException {
        try (RunLog log = RunLog.create(dir)) {
            log.event("n1", "START");
            log.output("n1", "listening on 127.0.0.1:20001");
            log.event("PARTITIONED FROM: n2");
            log.output("n2", "héllo \"quoted\"");
        }
        assertThat(dir.resolve("n1.jsonl")).exists();
        assertThat(dir.resolve("n2.jsonl")).exists();
        assertThat(dir.resolve("cluster.jsonl")).exists();
        List<LogEntry> entries = RunLog.read(dir);
        assertThat(entries)
                .extracting(LogEntry::node, LogEntry::text, LogEntry::isEvent)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("n1", "START", true),
                        org.assertj.core.groups.Tuple.tuple("n1", "listening on 127.0.0.1:20001", false),
                        org.assertj.core.groups.Tuple.tuple("cluster", "PARTITIONED FROM: n2", true),
                        org.assertj.core.groups.Tuple.tuple("n2", "héllo \"quoted\"", false));
        assertThat(entries).isSortedAccordingTo(java.util.Comparator.comparing(LogEntry::time));
    }

    @Test
    void createRemovesThePreviousRunAndReadSkipsBrokenLines() throws IOException {
        try (RunLog log = RunLog.create(dir)) {
            log.output("n3", "old run");
        }
        try (RunLog log = RunLog.create(dir)) {
            log.output("n1", "new run");
        }
        Files.writeString(dir.resolve("n1.jsonl"), "not json\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(dir.resolve("n3.jsonl")).doesNotExist();
        assertThat(RunLog.read(dir)).extracting(LogEntry::text).containsExactly("new run");
    }

    @Test
    void theNodesFileIsWrittenByTheTimeTheLogCloses() throws IOException {
        List<RunLog.NodeRow> rows = List.of(
                new RunLog.NodeRow("n1", "127.0.0.1:1", Map.of("n2", "127.0.0.1:3")),
                new RunLog.NodeRow("n2", "127.0.0.1:2", Map.of("n1", "127.0.0.1:4")));
        try (RunLog log = RunLog.create(dir)) {
            log.nodes(rows);
        }
        assertThat(RunLog.readNodes(dir)).isEqualTo(rows);
    }

    @Test
    void aNodesFileThatCannotBeWrittenFailsTheClose() throws IOException {
        RunLog log = RunLog.create(dir);
        Files.createDirectory(dir.resolve(RunLog.NODES)); // a folder where the file should go
        log.nodes(List.of(new RunLog.NodeRow("n1", "127.0.0.1:1", Map.of())));
        assertThatThrownBy(log::close).isInstanceOf(UncheckedIOException.class).hasMessageContaining(RunLog.NODES);
    }

    @Test
    void writesAfterCloseAreIgnored() throws IOException {
        RunLog log = RunLog.create(dir);
        log.close();
        log.output("n1", "late");
        assertThat(RunLog.read(dir)).isEmpty();
    }

    /**
     * A node that prints without end: the file keeps the first and the last half of the cap (here
     * ten lines each), says how many lines were dropped where they were, and keeps every event.
     */
    @Test
    void outputBeyondTheCapKeepsItsHeadAndTailSaysWhatWasDroppedAndKeepsEveryEvent() throws IOException {
        long tenLines = 10 * ("line-000".length() + 80);
        try (RunLog log = RunLog.create(dir, 2 * tenLines)) {
            log.event("n1", "START");
            for (int i = 0; i < 200; i++) {
                log.output("n1", String.format("line-%03d", i));
                if (i == 100) {
                    log.event("n1", "KILL");
                }
            }
        }
        List<String> expected = new java.util.ArrayList<>(List.of("START"));
        for (int i = 0; i < 10; i++) {
            expected.add(String.format("line-%03d", i));
        }
        expected.add("OUTPUT DROPPED: 180 lines (0.0 MB) that n1 printed here are not kept: the log keeps the first "
                + "and the last 0 MB of each node's output");
        expected.add("KILL");
        for (int i = 190; i < 200; i++) {
            expected.add(String.format("line-%03d", i));
        }
        List<LogEntry> entries = RunLog.read(dir);
        assertThat(entries).extracting(LogEntry::text).containsExactlyElementsOf(expected);
        assertThat(entries).isSortedAccordingTo(java.util.Comparator.comparing(LogEntry::time));
        assertThat(Files.size(dir.resolve("n1.jsonl"))).isLessThan(2 * tenLines + 600);
    }
}
