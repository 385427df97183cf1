package io.clstr.queue;

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
 * registration, its stages and test names (spec/queue.md's tests, in its order), its guides, and
 * the bug bank as README.md and the reference's BUGS.md document it.
 */
class ChallengeTest {

    /** Stage key → test names, in order: spec/queue.md's list of tests for each stage. */
    private static final Map<String, List<String>> SPEC = Map.of(
            "http-api",
            List.of(
                    "Ids Increase and Empty Inputs Are Rejected",
                    "Messages Are Received in FIFO Order",
                    "A Received Message Is Hidden",
                    "DELETE Is Idempotent and Unknown Receipts Return 404",
                    "Batch Receive Returns the 10 Oldest",
                    "Concurrent Producers and Consumers Deliver Every Message Exactly Once",
                    "Queues Are Isolated and Other Methods Return 405"),
            "visibility-timeout",
            List.of(
                    "Messages Are Not Redelivered Early and Come Back in Time",
                    "An Old Receipt Cannot Delete a Redelivered Message",
                    "Visibility Can Be Extended and Zeroed",
                    "An Expired Message Keeps Its Place in Order",
                    "Concurrent Consumers Keep Delivery Exclusive"),
            "crash-recovery",
            List.of(
                    "A Graceful Restart Keeps Messages, Order and In-Flight State",
                    "Acknowledged Sends Survive SIGKILL",
                    "Receipts Survive SIGKILL Until Their Deadline",
                    "Acknowledged Deletes Survive SIGKILL",
                    "Repeated Crashes Under Load Lose Nothing"),
            "replication",
            List.of(
                    "Followers Redirect and a Node Without Quorum Answers 503",
                    "A Leader Killed During Sends Loses Nothing",
                    "In-Flight State and Deadlines Survive Failover",
                    "An Acknowledged Delete Survives Failover",
                    "A Leader Cut Off From the Majority Never Hands Out a Message",
                    "All Checkers Pass Under 20 s of Chaos"),
            "dead-letter",
            List.of(
                    "A Message Moves to the Dead-Letter Queue After the Limit",
                    "A Message Deleted in Time Is Never Moved",
                    "50 Poison Messages and a Leader Kill: Each Is in Exactly One Queue",
                    "Config and Receive-Count Survive Failover"),
            "deduplication",
            List.of(
                    "A Duplicate Send Returns the Same Id",
                    "A Resend After Delete Creates Nothing",
                    "After the Window a Resend Gets a New Id",
                    "20 Concurrent Sends With One Dedup Id Make One Message",
                    "Producers Retrying Through Two Leader Kills Deliver Every Dedup Id Exactly Once",
                    "The Dedup Table Survives a Full SIGKILL"),
            "message-groups",
            List.of(
                    "A Receive Skips a Blocked Group Until Its Head Is Deleted",
                    "An Expired Head Is Redelivered Before the Next",
                    "The Group Lock Survives Failover",
                    "5 Groups of 20 Messages, 6 Consumers and a Leader Kill Keep Per-Group Order and Exclusivity",
                    "A Poison Head Moved to the Dead-Letter Queue Unblocks Its Group"),
            "streams",
            List.of(
                    "Offsets Increase and Keys Are Independent",
                    "Polls Return Ordered Runs and Resume After the Committed Offset",
                    "Committed Offsets Are Monotonic and Survive Failover and Full Restart",
                    "No Offset Ever Maps to Two Messages Across Leader Kills",
                    "Chaos With Partitions Keeps the Log Whole",
                    "A Minority Leader Never Acknowledges a Send"));

    @Test
    void registeredThroughServiceLoader() {
        Challenge challenge = Challenge.find("queue").orElseThrow();
        assertThat(challenge).isInstanceOf(QueueChallenge.class);
        assertThat(challenge.available()).isTrue();
        assertThat(challenge.stageKeys())
                .containsExactly(
                        "http-api",
                        "visibility-timeout",
                        "crash-recovery",
                        "replication",
                        "dead-letter",
                        "deduplication",
                        "message-groups",
                        "streams");
        assertThat(challenge.stages())
                .extracting(s -> StageInfo.of(s).title())
                .containsExactly(
                        "Send, Receive, Delete",
                        "In-Flight Messages Come Back",
                        "Messages Survive SIGKILL",
                        "Replicated Queue",
                        "Poison Messages Move Aside",
                        "Idempotent Sends",
                        "Ordered Groups",
                        "Kafka-Style Logs");
    }

    @Test
    void testNamesAreThoseOfTheSpecInOrder() {
        ChallengeDocs.assertTestsAreTheSpecs(new QueueChallenge(), SPEC);
    }

    @Test
    void everyStageHasAGuide() {
        ChallengeDocs.assertEveryStageHasAGuide(new QueueChallenge());
    }

    @Test
    void everyStageCatchesAtLeastTwoBugs() {
        ChallengeDocs.assertEveryStageCatchesTwoBugs(new QueueChallenge(), Bank.ROWS);
    }

    @Test
    void bankMatchesTheReferenceBugList() {
        ChallengeDocs.assertBugsMdMatchesTheBank(Bank.REFERENCE.folder().resolve("BUGS.md"), Bank.ROWS);
    }

    @Test
    void readmeListsTheBank() {
        ChallengeDocs.assertReadmeListsTheBank(Path.of("README.md"), Bank.ROWS);
    }
}
