package io.clstr.junit.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void writesAfterCloseAreIgnored() throws IOException {
        RunLog log = RunLog.create(dir);
        log.close();
        log.output("n1", "late");
        assertThat(RunLog.read(dir)).isEmpty();
    }
}
