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
                    "Repeated Crashes Under Load Lose Nothing"));

    private Bank() {}
}
