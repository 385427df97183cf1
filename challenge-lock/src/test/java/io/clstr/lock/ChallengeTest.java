package io.clstr.lock;

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
 * registration, its stages and test names (spec/lock.md's tests, in its order), its guides, and
 * the bug bank as README.md and the reference's BUGS.md document it.
 */
class ChallengeTest {

    /** Stage key → test names, in order: spec/lock.md's list of tests for each stage. */
    private static final Map<String, List<String>> SPEC = Map.of(
            "key-ttl",
            List.of(
                    "Keys Are Present Before Their TTL and Gone After",
                    "Overwrite Cancels or Resets Expiry",
                    "Expiry Still Happens After a Leader Kill",
                    "Followers Do Not Expire Keys on Their Own Timers",
                    "A Key Whose TTL Passed While the Cluster Was Down Stays Gone"),
            "cas",
            List.of(
                    "Revisions Increase",
                    "A Stale If-Match Is Rejected and the Value Unchanged",
                    "Concurrent Create-Only PUTs: Exactly One Wins",
                    "Read-Then-CAS Counters Survive a Leader Kill",
                    "Revisions Keep Increasing After a Full Restart"),
            "leases",
            List.of(
                    "Grant, Get and Revoke",
                    "Keys Without Keepalive Are Gone in Time",
                    "Regular Keepalives Keep Keys for 6 s",
                    "Keepalives Across Two Leader Kills Keep the Lease Alive",
                    "A Leader Cut Off From the Majority Stops Acknowledging Keepalives Within 1 s",
                    "Leases Survive a Full Restart and Expired Ones Still Expire"),
            "lock-api",
            List.of(
                    "Acquire, Get and Release: Other Leases Get 409, the Holder 200",
                    "Release by a Non-Holder Is Refused",
                    "Locks Are Released on Revoke and Expiry, Never Early",
                    "Acquire Then Immediate Leader Kill: a Retry With the Same Lease Succeeds",
                    "Mutual Exclusion Holds Through 15 s of Chaos",
                    "A Partitioned Holder's Lock Goes to Another Only After Its Lease Certainly Ran Out"),
            "fencing-tokens",
            List.of(
                    "Tokens Increase and Retries Keep Their Token",
                    "A Paused Client's Late Write Is Refused",
                    "Tokens Keep Increasing Across a Leader Kill and a Full Restart",
                    "A Revoked Holder's Pipelined Writes Never Overwrite the Next Holder's",
                    "Tokens Are Unique per Lock and Ordered Like the Grants Under Chaos"),
            "watches",
            List.of(
                    "A Waiting Watch Returns Within 0.5 s of a Write",
                    "Replay From an Old Revision, In Order",
                    "Events Equal the Acknowledged Writes, in Revision Order",
                    "Expiry Emits a Delete",
                    "A Watcher Resumes After a Leader Kill With No Gap",
                    "A Compacted Revision Gives 410"),
            "lock-queue",
            List.of(
                    "Handoff in Arrival Order",
                    "A Waiter That Timed Out Still Gets the Lock in Turn",
                    "Expired Waiters Are Skipped, Leaving Works",
                    "The Wait Queue Survives a Leader Kill",
                    "Mutual Exclusion, No Overtaking and Bounded Waiting Under 15 s of Chaos"));

    @Test
    void registeredThroughServiceLoader() {
        Challenge challenge = Challenge.find("lock").orElseThrow();
        assertThat(challenge).isInstanceOf(LockChallenge.class);
        assertThat(challenge.available()).isTrue();
        assertThat(challenge.stageKeys())
                .containsExactly("key-ttl", "cas", "leases", "lock-api", "fencing-tokens", "watches", "lock-queue");
        assertThat(challenge.stages())
                .extracting(s -> StageInfo.of(s).title())
                .containsExactly(
                        "Keys Expire",
                        "Compare-and-Swap",
                        "Leases",
                        "Named Locks Bound to Leases",
                        "Fencing Tokens",
                        "Watches",
                        "Fair, Blocking Acquisition");
    }

    @Test
    void testNamesAreThoseOfTheSpecInOrder() {
        ChallengeDocs.assertTestsAreTheSpecs(new LockChallenge(), SPEC);
    }

    @Test
    void everyStageHasAGuide() {
        ChallengeDocs.assertEveryStageHasAGuide(new LockChallenge());
    }

    @Test
    void everyStageCatchesAtLeastTwoBugs() {
        ChallengeDocs.assertEveryStageCatchesTwoBugs(new LockChallenge(), Bank.ROWS);
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
