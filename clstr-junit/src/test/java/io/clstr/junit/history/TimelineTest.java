package io.clstr.junit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.linearizability.KvInput;
import io.clstr.junit.linearizability.Models;
import io.clstr.junit.linearizability.Result;
import io.clstr.junit.linearizability.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class TimelineTest {

    @TempDir
    Path dir;

    /** A history with a stale read by client 3 during a partition, an info write and a failed one. */
    static History<KvInput, Object> staleRead() {
        History<KvInput, Object> history = new History<>();
        history.ok(history.invoke(1, KvInput.put("x", "1")), null);
        history.fault("PARTITION: n1 | n2 n3 <all>");
        history.ok(history.invoke(2, KvInput.get("x")), "1");
        history.ok(history.invoke(3, KvInput.get("x")), "");
        history.info(history.invoke(1, KvInput.put("y", "2")));
        history.fail(history.invoke(2, KvInput.delete("y")));
        history.fault("PARTITION HEALED");
        return history;
    }

    @Test
    void theTimelineShowsLanesOperationsFaultsAndTheViolation() throws Exception {
        History<KvInput, Object> history = staleRead();
        Result<KvInput, Object> result = RecordedHistoryCheckTest.check(history);
        Path path = Timeline.write(dir, history, result);
        String html = Files.readString(path, StandardCharsets.UTF_8);

        assertThat(path).startsWith(dir).hasExtension("html");
        assertThat(html)
                .contains("NOT_LINEARIZABLE", "client 1", "client 2", "client 3")
                .contains(
                        "put x = 1 → ok",
                        "get x → &quot;1&quot;",
                        "get x → &quot;&quot;",
                        "put y = 2 → info",
                        "delete y → fail")
                .contains("PARTITION: n1 | n2 n3 &lt;all&gt;", "PARTITION HEALED")
                .doesNotContain("<all>");
        assertThat(html.split("class=\"fault\"", -1)).hasSize(3);
        assertThat(html)
                .containsPattern("class=\"op ok failing\"[^>]*>put x = 1 → ok</div>")
                .contains("Solid red: operations none of which could come next");
        assertThat(html)
                .containsPattern("class=\"op ok violating\"[^>]*>get x → &quot;&quot;</div>")
                .doesNotContainPattern("class=\"op [a-z]+ violating\"[^>]*>put y = 2")
                .containsPattern("class=\"op info\"[^>]*>put y = 2 → info</div>");
        assertThat(html)
                .doesNotContainPattern("(?i)(src|href)\\s*=|url\\(|@import|<script|<link")
                .doesNotContain("http://", "https://");
    }

    @Test
    void openOperationsReachTheEnd() {
        History<KvInput, Object> history = new History<>();
        history.info(history.invoke(1, KvInput.put("a", "b")));
        String html = Timeline.html(history, null, null);
        assertThat(html).containsPattern("class=\"op info\" style=\"left:[0-9.]+%;width:[0-9.]+%\"");
        String width = html.replaceAll("(?s).*class=\"op info\" style=\"left:([0-9.]+)%;width:([0-9.]+)%.*", "$1 $2");
        String[] parts = width.split(" ");
        assertThat(Double.parseDouble(parts[0]) + Double.parseDouble(parts[1])).isEqualTo(100.0);
    }

    @Test
    void eachOperationNamesTheNodeThatServedItAndTimesCountFromTheRunsStart() {
        History<KvInput, Object> history = new History<>();
        History.Handle put = history.invoke(1, KvInput.put("x", "1"));
        history.route(put, "n2", "n1");
        history.ok(put, null);
        History.Handle get = history.invoke(2, KvInput.get("x"));
        history.route(get, "n3", "n3");
        history.ok(get, "");
        History.Handle lost = history.invoke(3, KvInput.put("x", "2"));
        history.route(lost, "n4", null);
        history.info(lost);
        Result<KvInput, Object> result = RecordedHistoryCheckTest.check(history);
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);

        String html = Timeline.html(
                history, result, result.report(Models.kv()), history.startedAt().minusSeconds(12));
        assertThat(html)
                .contains(
                        "put x = 1 → ok on n2 → n1", "get x → &quot;&quot; on n3", "put x = 2 → info on n4 (no answer)")
                .contains("<td>n2 → n1</td>", "<td>n3</td>", "<td>n4 (no answer)</td>")
                .contains("+12.0");
    }

    @Test
    void aViolationFailsWithTheReportAndTheTimelinePath() {
        History<KvInput, Object> history = staleRead();
        Result<KvInput, Object> result = RecordedHistoryCheckTest.check(history);

        assertThatThrownBy(() -> Timeline.assertLinearizable(
                        dir, history, Models.kv(), result, history.startedAt(), List.of("A hint.", "A cause.")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining(result.report(Models.kv()))
                .satisfies(e -> {
                    String path = e.getMessage().replaceAll("(?s).*Timeline: (\\S+)\n.*", "$1");
                    assertThat(e.getMessage()).endsWith("Hint: A hint.\n  - A cause.");
                    assertThat(Path.of(path)).isAbsolute().exists().startsWith(dir.toAbsolutePath());
                    assertThat(Files.readString(Path.of(path))).contains("Checker report", "smallest failing part");
                });
    }

    @Test
    void violationsOfAHistoryCheckFailWithEachViolationAndATimelineThatMarksThem() {
        History<KvInput, Object> history = staleRead();
        List<Violation> violations = List.of(
                new Violation("fresh reads", "client 3 read \"\" after \"1\" was written", List.of(0, 2)),
                new Violation("no info writes", "put y = 2 ended info", List.of(3)));

        assertThatThrownBy(() -> Timeline.assertNoViolations(
                        dir, history, violations, history.startedAt(), List.of("A hint.", "A cause.")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("the history breaks fresh reads, no info writes:\n"
                        + "  - fresh reads: client 3 read \"\" after \"1\" was written\n"
                        + "  - no info writes: put y = 2 ended info")
                .satisfies(e -> {
                    String path = e.getMessage().replaceAll("(?s).*Timeline: (\\S+)\n.*", "$1");
                    assertThat(e.getMessage()).endsWith("Hint: A hint.\n  - A cause.");
                    String html = Files.readString(Path.of(path));
                    assertThat(html)
                            .contains("2 violations of fresh reads, no info writes", "the operations that show")
                            .containsPattern("class=\"op ok violating\"[^>]*>put x = 1 → ok</div>")
                            .containsPattern("class=\"op ok violating\"[^>]*>get x → &quot;&quot;</div>")
                            .containsPattern("class=\"op info violating\"[^>]*>put y = 2 → info</div>")
                            .containsPattern("class=\"op ok\"[^>]*>get x → &quot;1&quot;</div>");
                });
    }

    @Test
    void noViolationsPassAndWriteNothing() throws Exception {
        assertThatCode(() -> Timeline.assertNoViolations(dir, staleRead(), List.of(), Instant.now(), List.of()))
                .doesNotThrowAnyException();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theFailureSaysWhetherTheViolationCameBeforeAnyFaultOrAfterWhichOne() {
        History<KvInput, Object> partitioned = staleRead();
        assertThatThrownBy(() -> Timeline.assertLinearizable(
                        dir,
                        partitioned,
                        Models.kv(),
                        RecordedHistoryCheckTest.check(partitioned),
                        partitioned.startedAt(),
                        List.of("A hint.")))
                .hasMessageContaining("When: after PARTITION: n1 | n2 n3 <all> at +0.")
                .hasMessageContaining("(the last fault before it)");

        History<KvInput, Object> calm = new History<>();
        calm.ok(calm.invoke(1, KvInput.put("x", "1")), null);
        calm.ok(calm.invoke(2, KvInput.get("x")), "");
        calm.fault("KILL n1");
        assertThatThrownBy(() -> Timeline.assertLinearizable(
                        dir,
                        calm,
                        Models.kv(),
                        RecordedHistoryCheckTest.check(calm),
                        calm.startedAt(),
                        List.of("A hint.")))
                .hasMessageContaining("When: before any fault. No crash or partition is needed to show it");
    }

    @Test
    void aLinearizableHistoryPassesAndWritesNothing() throws Exception {
        History<KvInput, Object> history = new History<>();
        history.ok(history.invoke(1, KvInput.put("x", "1")), null);
        history.ok(history.invoke(2, KvInput.get("x")), "1");

        assertThatCode(() -> Timeline.assertLinearizable(
                        dir,
                        history,
                        Models.kv(),
                        RecordedHistoryCheckTest.check(history),
                        history.startedAt(),
                        List.of()))
                .doesNotThrowAnyException();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aFolderKeepsOnlyTheNewestTimelines() throws Exception {
        History<KvInput, Object> history = staleRead();
        Result<KvInput, Object> result = RecordedHistoryCheckTest.check(history);
        Path other = Files.writeString(dir.resolve("notes.txt"), "not a timeline");
        Path first = Timeline.write(dir, history, result);
        Files.setLastModifiedTime(first, FileTime.fromMillis(0));
        Path last = null;
        for (int i = 0; i < Timeline.KEPT; i++) {
            last = Timeline.write(dir, history, result);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("timeline-")))
                    .hasSize(Timeline.KEPT);
        }
        assertThat(first).doesNotExist();
        assertThat(last).exists();
        assertThat(other).exists();
        assertThat(last.getFileName().toString()).matches("timeline-\\d{8}-\\d{6}-.*\\.html");
    }

    @Test
    void textIsEscaped() {
        assertThat(Timeline.esc("<a href='x'>&\"</a>")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    }
}
