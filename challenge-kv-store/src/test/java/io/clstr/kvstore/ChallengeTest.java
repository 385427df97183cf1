package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.Challenge;
import io.clstr.junit.StageInfo;
import io.clstr.testkit.ChallengeDocs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The challenge as the CLI and {@code mvn test} see it, without starting a node: its
 * registration, its stages and test names (those of spec/kv-store.md, which learners see), its
 * guides, and the bug bank table of README.md.
 */
class ChallengeTest {

    /**
     * Stage key → test names, in order, as spec/kv-store.md gives them, plus the tests that catch
     * what the spec's would pass by luck: "Simultaneous Candidates Elect One Leader Per Term" (stage
     * 4, last) and "Deposed Leader Cannot Serve Stale Reads" (stage 5, before the last).
     */
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
                            "Election Completes Under Packet Loss",
                            "Simultaneous Candidates Elect One Leader Per Term"),
            "log-replication",
                    List.of(
                            "Writes Replicate to All Nodes",
                            "Committed Writes Survive Leader Crash",
                            "Minority Leader Cannot Commit",
                            "Lagging Follower Catches Up",
                            "Diverged Logs Are Repaired",
                            "Cluster Survives a Full Crash",
                            "Deposed Leader Cannot Serve Stale Reads",
                            "Linearizable Under Faults"),
            "log-compaction",
                    List.of(
                            "Snapshot Metadata Starts at Zero",
                            "Log Stays Bounded",
                            "State Survives Restart From Snapshot",
                            "Far-Behind Follower Installs Snapshot",
                            "Linearizable Under Faults With Compaction"),
            "membership-changes",
                    List.of(
                            "Node Joins and Catches Up",
                            "Quorum Grows With Membership",
                            "Follower Leaves",
                            "Leader Leaves and Steps Down",
                            "One Change at a Time",
                            "Removed Node Does Not Disrupt the Cluster",
                            "Linearizable During Changes"),
            "joint-consensus",
                    List.of(
                            "Grow 3 to 5 in One Change",
                            "Shrink 5 to 3 Including the Leader",
                            "Replace Every Member (disjoint old and new)",
                            "Leader Crash Mid-Change Completes the Transition",
                            "No Split Brain During Change",
                            "Linearizable During Bulk Changes"));

    private static final Path README = Path.of("README.md");

    @Test
    void registeredThroughServiceLoader() {
        Challenge challenge = Challenge.find("kv-store").orElseThrow();
        assertThat(challenge).isInstanceOf(KvStoreChallenge.class);
        assertThat(challenge.name()).isEqualTo("Distributed Key-Value Store");
        assertThat(challenge.summary()).isNotBlank().doesNotContain("\n");
        assertThat(challenge.stageKeys())
                .containsExactly(
                        "http-api",
                        "persistence",
                        "crash-recovery",
                        "leader-election",
                        "log-replication",
                        "log-compaction",
                        "membership-changes",
                        "joint-consensus");
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
                        "Data Replicates to All Nodes",
                        "System Manages Log Growth",
                        "Add and Remove Nodes One at a Time",
                        "Add and Remove Nodes in Bulk");
    }

    @Test
    void testNamesAreThoseOfTheSpecInOrder() {
        ChallengeDocs.assertTestsAreTheSpecs(new KvStoreChallenge(), SPEC);
    }

    @Test
    void everyStageHasAGuide() {
        ChallengeDocs.assertEveryStageHasAGuide(new KvStoreChallenge());
        Challenge challenge = new KvStoreChallenge();
        for (String key : challenge.stageKeys()) {
            assertThat(challenge.guide(key).orElseThrow()).as(key).contains("clstr logs");
        }
    }

    @Test
    void everyStageCatchesAtLeastTwoBugs() {
        ChallengeDocs.assertEveryStageCatchesTwoBugs(new KvStoreChallenge(), Bank.ROWS);
    }

    /**
     * The reference documents its bugs in reference/kv-store/BUGS.md: every bug it says a stage
     * must catch is in the bank, at the same stage and test, and the bank holds no other bug.
     */
    @Test
    void bankMatchesTheReferenceBugList() {
        ChallengeDocs.assertBugsMdMatchesTheBank(Bank.REFERENCE.folder().resolve("BUGS.md"), Bank.ROWS);
    }

    @Test
    void readmeListsTheBank() {
        ChallengeDocs.assertReadmeListsTheBank(README, Bank.ROWS);
    }
}
