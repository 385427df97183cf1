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
                    "Repeated Crashes Under Load Lose Nothing"));

    @Test
    void registeredThroughServiceLoader() {
        Challenge challenge = Challenge.find("queue").orElseThrow();
        assertThat(challenge).isInstanceOf(QueueChallenge.class);
        assertThat(challenge.available()).isTrue();
        assertThat(challenge.stageKeys()).containsExactly("http-api", "visibility-timeout", "crash-recovery");
        assertThat(challenge.stages())
                .extracting(s -> StageInfo.of(s).title())
                .containsExactly("Send, Receive, Delete", "In-Flight Messages Come Back", "Messages Survive SIGKILL");
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
