package io.clstr.lock;

import io.clstr.testkit.BankRow;
import io.clstr.testkit.Reference;
import java.util.List;

/**
 * The lock challenge's bug bank: each bug of the reference ({@code REFERENCE_BUG=<bug>}) with the
 * stage that must catch it and every test of that stage whose property the bug breaks, the one
 * designed to catch it first. README.md and reference/lock/BUGS.md list the same rows.
 */
final class Bank {

    /** The lock reference solution, {@code reference/lock}. */
    static final Reference REFERENCE = Reference.of(new LockChallenge());

    static final List<BankRow> ROWS = List.of(
            BankRow.of(
                    "follower-expiry-timers",
                    KeyTtl.class,
                    "Followers Do Not Expire Keys on Their Own Timers",
                    "A Key Whose TTL Passed While the Cluster Was Down Stays Gone"),
            BankRow.of(
                    "expiry-in-leader-memory",
                    KeyTtl.class,
                    "Expiry Still Happens After a Leader Kill",
                    "A Key Whose TTL Passed While the Cluster Was Down Stays Gone"),
            BankRow.of("revision-in-memory", Cas.class, "Revisions Keep Increasing After a Full Restart"),
            BankRow.of("cas-at-request-time", Cas.class, "Concurrent Create-Only PUTs: Exactly One Wins"),
            BankRow.of(
                    "keepalive-without-leadership-check",
                    Leases.class,
                    "A Leader Cut Off From the Majority Stops Acknowledging Keepalives Within 1 s"),
            BankRow.of("no-leader-grace", Leases.class, "Keepalives Across Two Leader Kills Keep the Lease Alive"),
            BankRow.of(
                    "lock-not-released-on-expiry",
                    NamedLocks.class,
                    "Locks Are Released on Revoke and Expiry, Never Early"),
            BankRow.of(
                    "lock-table-in-leader-memory",
                    NamedLocks.class,
                    "Acquire Then Immediate Leader Kill: a Retry With the Same Lease Succeeds"),
            BankRow.of(
                    "token-per-leader",
                    FencingTokens.class,
                    "Tokens Keep Increasing Across a Leader Kill and a Full Restart"),
            BankRow.of("fenced-write-after-release", FencingTokens.class, "A Paused Client's Late Write Is Refused"),
            BankRow.of(
                    "watch-history-in-leader-memory",
                    Watches.class,
                    "A Watcher Resumes After a Leader Kill With No Gap"),
            BankRow.of("expiry-emits-no-event", Watches.class, "Expiry Emits a Delete"),
            BankRow.of("watch-rev-exclusive", Watches.class, "A Waiting Watch Returns Within 0.5 s of a Write"),
            BankRow.of("thundering-herd", LockQueue.class, "Handoff in Arrival Order"),
            BankRow.of("wait-queue-in-leader-memory", LockQueue.class, "The Wait Queue Survives a Leader Kill"),
            BankRow.of(
                    "timed-out-waiter-dropped",
                    LockQueue.class,
                    "A Waiter That Timed Out Still Gets the Lock in Turn"));

    private Bank() {}
}
