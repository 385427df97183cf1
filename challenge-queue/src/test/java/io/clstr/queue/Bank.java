package io.clstr.queue;

import io.clstr.testkit.BankRow;
import io.clstr.testkit.Reference;
import java.util.List;

/**
 * The queue's bug bank: each bug of the reference ({@code REFERENCE_BUG=<bug>}) with the stage
 * that must catch it and every test of that stage whose property the bug breaks, the one designed
 * to catch it first. README.md and reference/queue/BUGS.md list the same rows.
 */
final class Bank {

    /** The queue reference solution, {@code reference/queue}. */
    static final Reference REFERENCE = Reference.of(new QueueChallenge());

    static final List<BankRow> ROWS = List.of(
            BankRow.of(
                    "newest-first",
                    HttpApi.class,
                    "Messages Are Received in FIFO Order",
                    "Batch Receive Returns the 10 Oldest"),
            BankRow.of(
                    "receive-not-hiding",
                    HttpApi.class,
                    "A Received Message Is Hidden",
                    "Concurrent Producers and Consumers Deliver Every Message Exactly Once"),
            BankRow.of(
                    "unsafe-ids",
                    HttpApi.class,
                    "Concurrent Producers and Consumers Deliver Every Message Exactly Once"),
            BankRow.of(
                    "unknown-receipt-ok",
                    HttpApi.class,
                    "DELETE Is Idempotent and Unknown Receipts Return 404",
                    "Queues Are Isolated and Other Methods Return 405"),
            BankRow.of(
                    "fixed-visibility",
                    VisibilityTimeout.class,
                    "Messages Are Not Redelivered Early and Come Back in Time"),
            BankRow.of(
                    "receipt-is-message-id",
                    VisibilityTimeout.class,
                    "An Old Receipt Cannot Delete a Redelivered Message"),
            BankRow.of("expired-to-back", VisibilityTimeout.class, "An Expired Message Keeps Its Place in Order"),
            BankRow.of(
                    "ids-reused", CrashRecovery.class, "A Graceful Restart Keeps Messages, Order and In-Flight State"),
            BankRow.of(
                    "relative-deadlines",
                    CrashRecovery.class,
                    "Receipts Survive SIGKILL Until Their Deadline",
                    "Repeated Crashes Under Load Lose Nothing"),
            BankRow.of(
                    "delete-not-synced",
                    CrashRecovery.class,
                    "Acknowledged Deletes Survive SIGKILL",
                    "Repeated Crashes Under Load Lose Nothing"),
            BankRow.of(
                    "half-is-majority",
                    Replication.class,
                    "Followers Redirect and a Node Without Quorum Answers 503",
                    "A Leader Killed During Sends Loses Nothing",
                    "A Leader Cut Off From the Majority Never Hands Out a Message",
                    "All Checkers Pass Under 20 s of Chaos"),
            BankRow.of(
                    "deadline-on-leader-only",
                    Replication.class,
                    "In-Flight State and Deadlines Survive Failover",
                    "All Checkers Pass Under 20 s of Chaos"),
            BankRow.of(
                    "config-on-leader-only",
                    DeadLetter.class,
                    "Config and Receive-Count Survive Failover",
                    "50 Poison Messages and a Leader Kill: Each Is in Exactly One Queue"),
            BankRow.of("deleted-then-moved", DeadLetter.class, "A Message Deleted in Time Is Never Moved"),
            BankRow.of(
                    "move-in-two-entries",
                    DeadLetter.class,
                    "50 Poison Messages and a Leader Kill: Each Is in Exactly One Queue"),
            BankRow.of("dedup-not-after-delete", Deduplication.class, "A Resend After Delete Creates Nothing"),
            BankRow.of(
                    "dedup-check-at-request",
                    Deduplication.class,
                    "20 Concurrent Sends With One Dedup Id Make One Message"),
            BankRow.of(
                    "dedup-on-leader-only",
                    Deduplication.class,
                    "The Dedup Table Survives a Full SIGKILL",
                    "Producers Retrying Through Two Leader Kills Deliver Every Dedup Id Exactly Once"),
            BankRow.of(
                    "blocked-group-blocks-queue",
                    MessageGroups.class,
                    "A Receive Skips a Blocked Group Until Its Head Is Deleted"),
            BankRow.of("expired-head-to-back", MessageGroups.class, "An Expired Head Is Redelivered Before the Next"),
            BankRow.of(
                    "group-lock-on-leader-only",
                    MessageGroups.class,
                    "The Group Lock Survives Failover",
                    "5 Groups of 20 Messages, 6 Consumers and a Leader Kill Keep Per-Group Order and Exclusivity"),
            BankRow.of(
                    "committed-offset-overwritten",
                    Streams.class,
                    "Committed Offsets Are Monotonic and Survive Failover and Full Restart"),
            BankRow.of(
                    "offset-before-commit",
                    Streams.class,
                    "A Minority Leader Never Acknowledges a Send",
                    "Polls Return Ordered Runs and Resume After the Committed Offset",
                    "No Offset Ever Maps to Two Messages Across Leader Kills",
                    "Chaos With Partitions Keeps the Log Whole"));

    private Bank() {}
}
