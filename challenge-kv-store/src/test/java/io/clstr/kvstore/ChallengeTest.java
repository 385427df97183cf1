package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.Challenge;
import io.clstr.junit.StageInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The challenge as the CLI and {@code mvn test} see it, without starting a node: its
 * registration, its stages and test names (those of spec/kv-store.md, which learners see), its
 * guides, and the bug bank table of README.md.
 */
class ChallengeTest {

    /** Stage key → test names, in order, as spec/kv-store.md gives them. */
    private static final Map<String, List<String>> SPEC = Map.of(
            "http-api",
                    List.of(
                            "PUT Stores Values",
                            "PUT Rejects Empty Keys and Values",
                            "GET Returns Stored Values",
                            "GET Rejects Missing and Invalid Keys",
                            "DELETE Idempotently Removes Keys",
                            "DELETE Rejects Empty Keys",
                            "CLEAR Removes All Keys from the Store",
                            "Concurrent Writes to Different Keys All Succeed",
                            "Concurrent Writes to the Same Key Do Not Corrupt Data",
                            "Unsupported HTTP Methods Return 405"),
            "persistence",
                    List.of(
                            "Data Survives a Graceful Restart",
                            "All Data Survives Repeated Graceful Restarts",
                            "Rapid Sequential Writes Survive a Graceful Restart",
                            "Rapid Concurrent Writes Survive a Graceful Restart",
                            "CLEAR Survives a Graceful Restart"),
            "crash-recovery",
                    List.of(
                            "Data Survives a Hard Crash",
                            "All Data Survives Repeated Hard Crashes",
                            "Rapid Sequential Writes Survive a Hard Crash",
                            "Rapid Concurrent Writes Survive a Hard Crash",
                            "CLEAR Survives a Hard Crash"),
            "leader-election",
                    List.of(
                            "/cluster/info Returns Cluster State",
                            "Leader Election Completes",
                            "Exactly One Leader Per Term",
                            "Leader Maintains Authority via Heartbeats",
                            "Followers Redirect to Leader",
                            "Leader Handles KV Operations",
                            "New Leader Elected After Leader Crash",
                            "Partition Enforces Quorum",
                            "Leaderless Nodes Return 503",
                            "Cluster Converges After Partition Heals",
                            "Slow Leader Steps Down and Cluster Re-elects",
                            "Election Completes Under Packet Loss"),
            "log-replication",
                    List.of(
                            "Writes Replicate to All Nodes",
                            "Committed Writes Survive Leader Crash",
                            "Minority Leader Cannot Commit",
                            "Lagging Follower Catches Up",
                            "Diverged Logs Are Repaired",
                            "Cluster Survives a Full Crash",
                            "Linearizable Under Faults"));

    private static final Path README = Path.of("README.md");

    @Test
    void registeredThroughServiceLoader() {
        Challenge challenge = Challenge.find("kv-store").orElseThrow();
        assertThat(challenge).isInstanceOf(KvStoreChallenge.class);
        assertThat(challenge.name()).isEqualTo("Distributed Key-Value Store");
        assertThat(challenge.summary()).isNotBlank().doesNotContain("\n");
        assertThat(challenge.stageKeys())
                .containsExactly("http-api", "persistence", "crash-recovery", "leader-election", "log-replication");
    }

    @Test
    void stageTitlesAreThoseOfTheSpec() {
        assertThat(new KvStoreChallenge().stages())
                .extracting(s -> StageInfo.of(s).title())
                .containsExactly(
                        "Store and Retrieve Data",
                        "Data Survives SIGTERM",
                        "Data Survives SIGKILL",
                        "Cluster Elects and Maintains Leader",
                        "Data Replicates to All Nodes");
    }

    @Test
    void testNamesAreThoseOfTheSpecInOrder() {
        for (Class<?> stage : new KvStoreChallenge().stages()) {
            assertThat(StageRun.declaredTests(stage))
                    .as(StageInfo.of(stage).key())
                    .containsExactlyElementsOf(SPEC.get(StageInfo.of(stage).key()));
        }
    }

    @Test
    void everyStageHasAGuide() {
        Challenge challenge = new KvStoreChallenge();
        for (String key : challenge.stageKeys()) {
            String guide = challenge.guide(key).orElseThrow(() -> new AssertionError("no guide for " + key));
            assertThat(guide)
                    .as(key)
                    .startsWith("# Stage ")
                    .contains("## Pitfalls", "## Further reading", "clstr logs");
            String text = guide.replaceAll("\\s+", " ");
            SPEC.get(key)
                    .forEach(name ->
                            assertThat(text).as(key + " guide names its test").contains(name));
        }
    }

    @Test
    void everyStageCatchesAtLeastTwoBugs() {
        for (Class<?> stage : new KvStoreChallenge().stages()) {
            assertThat(Bank.ROWS.stream().filter(r -> r.stage() == stage))
                    .as(StageInfo.of(stage).key())
                    .hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(Bank.ROWS.stream().map(Bank.Row::bug)).doesNotHaveDuplicates();
        for (Bank.Row row : Bank.ROWS) {
            assertThat(StageRun.declaredTests(row.stage())).as(row.toString()).containsAll(row.tests());
        }
    }

    /**
     * The reference documents its bugs in reference/kv-store/BUGS.md: every bug it says a stage
     * must catch is in the bank, at the same stage and test, and the bank holds no other bug.
     */
    @Test
    void bankMatchesTheReferenceBugList() throws IOException {
        Path bugsMd = StageRun.referenceFolder().resolve("BUGS.md");
        Assumptions.assumeTrue(Files.isRegularFile(bugsMd), "no " + bugsMd);
        Pattern line = Pattern.compile("^\\| `([a-z0-9-]+)` \\| \\d+ ([a-z-]+) \\| ([^|]+?) \\|", Pattern.MULTILINE);
        Matcher m = line.matcher(Files.readString(bugsMd, StandardCharsets.UTF_8));
        List<String> mustCatch = new ArrayList<>();
        while (m.find()) {
            String test = m.group(3).trim();
            if (test.contains("not guaranteed")) {
                continue;
            }
            Bank.Row row = Bank.ROWS.stream()
                    .filter(r -> r.bug().equals(m.group(1)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(bugsMd + " lists " + m.group(1) + ", the bank does not"));
            assertThat(row.stageKey()).as(row.bug()).isEqualTo(m.group(2));
            assertThat(test).as(row.bug() + " in " + bugsMd).startsWith(row.testsText());
            mustCatch.add(row.bug());
        }
        assertThat(Bank.ROWS).extracting(Bank.Row::bug).containsExactlyInAnyOrderElementsOf(mustCatch);
    }

    @Test
    void readmeListsTheBank() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Pattern line = Pattern.compile("^\\| `([a-z0-9-]+)` \\| `([a-z-]+)` \\| ([^|]+?) \\|", Pattern.MULTILINE);
        Matcher m = line.matcher(readme);
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1) + " → " + m.group(2) + " → " + m.group(3).trim());
        }
        assertThat(documented)
                .containsExactlyElementsOf(
                        Bank.ROWS.stream().map(Bank.Row::toString).collect(Collectors.toList()));
    }
}
