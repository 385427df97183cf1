package io.clstr.reference.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.LogEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The state machine applies log entries by their stamps and terms alone: expiry, grace, revisions
 * and CAS, tokens and fencing, the watch history, and the wait queues; and each bug of the machine
 * changes what it should.
 */
class LockMachineTest {

    /** One node's machine and the log it was given; entries are proposed by node {@code n1}. */
    private static final class Node {
        final LockMachine machine;
        long index;
        long term = 1;

        Node(BugSwitch<Bug> bugs, String self, int historyLimit) {
            machine = new LockMachine(bugs, self, historyLimit);
        }

        Outcome apply(Command command, long stamp) {
            return (Outcome) machine.apply(
                    new LogEntry(++index, term, stamp, command.servedBy("n1").encode()));
        }

        /** A new leader's term, started as the reference's leader starts it: with its grace entry. */
        void newTerm(long stamp) {
            term++;
            apply(Command.grace(), stamp);
        }

        String grantLease(long ttl, long stamp) {
            return ((LockMachine.LeaseTtl) apply(Command.grant(ttl), stamp).body()).id();
        }

        long token(String lock, String lease, long stamp) {
            return ((LockMachine.Grant)
                            apply(Command.acquire(lock, lease, false), stamp).body())
                    .token();
        }

        List<WatchHistory.Event> watch(String key, boolean prefix, long from) throws InterruptedException {
            return machine.watch(key, prefix, from, System.nanoTime());
        }
    }

    private static Node node(Bug bug) {
        return new Node(bug == null ? BugSwitch.none() : BugSwitch.of(bug), "n1", WatchHistory.LIMIT);
    }

    /** A node that did not propose the entries it applies (a follower). */
    private static Node follower(Bug bug) {
        return new Node(bug == null ? BugSwitch.none() : BugSwitch.of(bug), "n2", WatchHistory.LIMIT);
    }

    private final Node n = node(null);

    @Test
    void aKeyExpiresAtTheFirstEntryStampedAtOrAfterItsDeadline() {
        n.apply(Command.grace(), 0);
        n.apply(Command.put("k", "v", 2, null), 1000);
        assertEquals(3000, n.machine.nextDeadline());
        n.apply(Command.expire(), 2999);
        assertNotNull(n.machine.get("k"));
        n.apply(Command.expire(), 3000);
        assertNull(n.machine.get("k"));
        assertEquals(2, n.machine.revision(), "the expiry is a write of its own");
        assertEquals(Long.MAX_VALUE, n.machine.nextDeadline());
    }

    @Test
    void aPutWithoutTtlCancelsTheExpiryAndOneWithTtlResetsIt() {
        n.apply(Command.put("a", "1", 2, null), 0);
        n.apply(Command.put("a", "2", 0, null), 1000);
        n.apply(Command.put("b", "1", 2, null), 0);
        n.apply(Command.put("b", "2", 2, null), 1500);
        n.apply(Command.expire(), 3000);
        assertEquals("2", n.machine.get("a").value());
        assertEquals("2", n.machine.get("b").value(), "expires at 3500 now");
        n.apply(Command.expire(), 3500);
        assertNull(n.machine.get("b"));
    }

    @Test
    void everyWriteTakesTheNextRevisionAndConditionsAreCheckedWhenTheEntryApplies() {
        assertEquals(1, n.apply(Command.put("k", "a", 0, null), 0).revision());
        Outcome second = n.apply(Command.put("k", "b", 0, null).conditional(null, true), 1);
        assertEquals(Outcome.error(412, "key already exists"), second, "create-only after the first: refused");
        assertEquals(
                2,
                n.apply(Command.put("k", "c", 0, null).conditional(1L, false), 2)
                        .revision());
        assertEquals(
                412,
                n.apply(Command.put("k", "d", 0, null).conditional(1L, false), 3)
                        .status());
        assertEquals(
                Outcome.error(412, "revision mismatch"),
                n.apply(Command.delete("k").conditional(1L, false), 4));
        assertEquals("c", n.machine.get("k").value());
        assertEquals(3, n.apply(Command.delete("k"), 5).revision());
        assertEquals(4, n.apply(Command.delete("k"), 6).revision(), "a delete of a missing key is a write too");
        assertEquals(5, n.apply(Command.clear(), 7).revision(), "an empty clear takes one revision");
    }

    @Test
    void leasesExpireOnlyAfterTheTermsGraceEntryAndGraceGivesEveryLeaseASecond() {
        n.apply(Command.grace(), 0);
        String lease = n.grantLease(2, 100);
        n.apply(Command.put("owned", "v", 0, lease), 200);
        n.apply(Command.keepalive(lease), 1000); // deadline 3000
        n.term = 2; // a new leader; its first entry comes before its grace entry
        n.apply(Command.expire(), 3500);
        assertNotNull(n.machine.lease(lease, 3500), "no lease expires before the new leader's grace");
        n.apply(Command.grace(), 3600); // deadline max(3000, 4600)
        assertEquals(4600, n.machine.nextDeadline());
        n.apply(Command.expire(), 4599);
        assertEquals(List.of("owned"), n.machine.lease(lease, 4599).keys());
        n.apply(Command.expire(), 4600);
        assertNull(n.machine.lease(lease, 4600));
        assertNull(n.machine.get("owned"), "its keys go with it");
        assertEquals(Outcome.error(404, "lease not found"), n.apply(Command.keepalive(lease), 4700));
    }

    @Test
    void aKeyCannotJoinAMissingLease() {
        assertEquals(Outcome.error(404, "lease not found"), n.apply(Command.put("k", "v", 0, "9"), 0));
        assertEquals(0, n.machine.revision());
    }

    @Test
    void tokensIncreasePerLockAcrossFreesAndARetryKeepsItsToken() {
        n.apply(Command.grace(), 0);
        String a = n.grantLease(5, 0);
        String b = n.grantLease(5, 0);
        assertEquals(1, n.token("l", a, 10));
        assertEquals(1, n.token("l", a, 20), "the same lease again: the same grant");
        assertEquals(Outcome.error(409, "lock is held"), n.apply(Command.acquire("l", b, false), 30));
        assertEquals(Outcome.error(409, "lock is held"), n.apply(Command.release("l", b), 40));
        n.apply(Command.release("l", a), 50);
        assertNull(n.machine.lock("l"));
        assertEquals(2, n.token("l", b, 60));
        assertEquals(1, n.token("other", a, 70), "each lock counts its own");
        n.apply(Command.revoke(b), 80);
        assertNull(n.machine.lock("l"), "a revoke releases");
        n.newTerm(90);
        assertEquals(3, n.token("l", a, 100), "the count is in the log, not the leader");
    }

    @Test
    void aFencedWriteAppliesOnlyWhileItsLockIsHeldWithItsToken() {
        n.apply(Command.grace(), 0);
        String a = n.grantLease(5, 0);
        String b = n.grantLease(5, 0);
        long tokenA = n.token("l", a, 10);
        assertEquals(
                200,
                n.apply(Command.put("k", "a1", 0, null).fenced("l", tokenA), 20).status());
        n.apply(Command.revoke(a), 30);
        long tokenB = n.token("l", b, 40);
        assertEquals(
                200,
                n.apply(Command.put("k", "b", 0, null).fenced("l", tokenB), 50).status());
        assertEquals(
                Outcome.error(409, "stale fencing token"),
                n.apply(Command.put("k", "a2", 0, null).fenced("l", tokenA), 60));
        assertEquals(
                409, n.apply(Command.delete("k").fenced("free-lock", 1), 70).status());
        assertEquals("b", n.machine.get("k").value());
    }

    @Test
    void aReleaseHandsTheLockToTheHeadWaiterAndWaitersKeepTheirPlaceUntilTheyLeaveOrExpire() {
        n.apply(Command.grace(), 0);
        String holder = n.grantLease(10, 0);
        String first = n.grantLease(10, 0);
        String leaving = n.grantLease(10, 0);
        String expiring = n.grantLease(2, 0);
        String last = n.grantLease(10, 0);
        n.token("l", holder, 0);
        for (String waiter : List.of(first, leaving, expiring, last, first)) {
            assertEquals(409, n.apply(Command.acquire("l", waiter, true), 100).status());
        }
        assertEquals(
                List.of(first, leaving, expiring, last), n.machine.lock("l").waiters(), "joined once each");
        n.apply(Command.release("l", holder), 200);
        assertEquals(new LockMachine.LockStatus("l", first, 2, List.of(leaving, expiring, last)), n.machine.lock("l"));
        assertEquals(200, n.apply(Command.release("l", leaving), 300).status(), "leaving the queue");
        n.apply(Command.expire(), 2100); // the acquire at 100 kept `expiring` until 2100
        assertEquals(List.of(last), n.machine.lock("l").waiters());
        n.apply(Command.revoke(first), 2200);
        assertEquals(new LockMachine.LockStatus("l", last, 3, List.of()), n.machine.lock("l"));
        assertEquals(3, n.token("l", last, 2300), "the waiter's later acquire finds it holds the lock");
    }

    @Test
    void anAcquireCountsAsAKeepalive() {
        n.apply(Command.grace(), 0);
        String lease = n.grantLease(2, 0);
        n.token("l", lease, 1500);
        n.apply(Command.expire(), 3000);
        assertNotNull(n.machine.lock("l"), "held until 3500");
        n.apply(Command.expire(), 3500);
        assertNull(n.machine.lock("l"));
    }

    @Test
    void watchesReadTheHistoryFromARevisionByKeyOrPrefixAndExpiriesAreDeletes() throws InterruptedException {
        n.apply(Command.grace(), 0);
        n.apply(Command.put("a/1", "x", 1, null), 0);
        n.apply(Command.put("a/2", "y", 0, null), 0);
        n.apply(Command.put("b", "z", 0, null), 0);
        n.apply(Command.expire(), 1000);
        assertEquals(
                List.of(new WatchHistory.Event(1, null, "put", "x"), new WatchHistory.Event(4, null, "delete", null)),
                n.watch("a/1", false, 1));
        assertEquals(
                List.of(new WatchHistory.Event(2, "a/2", "put", "y"), new WatchHistory.Event(4, "a/1", "delete", null)),
                n.watch("a/", true, 2));
        assertEquals(List.of(), n.watch("b", false, 4), "nothing yet: an empty answer after the wait");
    }

    @Test
    void aWatchFromARevisionNoLongerKeptIsRefused() throws InterruptedException {
        Node small = new Node(BugSwitch.none(), "n1", 3);
        for (int i = 1; i <= 5; i++) {
            small.apply(Command.put("k", "v" + i, 0, null), i);
        }
        assertNull(small.watch("k", false, 2), "revisions 1 and 2 were dropped");
        assertEquals(3, small.watch("k", false, 3).size());
        assertNull(small.watch("k", false, 0));
    }

    // ---------------------------------------------------------------- the bugs of the machine

    @Test
    void followerExpiryTimersCountTheTtlFromTheApplyingNodesClock() {
        Node buggy = node(Bug.FOLLOWER_EXPIRY_TIMERS);
        buggy.apply(Command.put("k", "v", 1, null), 0); // stamped long ago
        buggy.apply(Command.expire(), 5000);
        assertNotNull(buggy.machine.get("k"), "no entry expires keys; the deadline is a second from now");
        buggy.machine.expireKeysAt(System.currentTimeMillis() + 1000);
        assertNull(buggy.machine.get("k"));
    }

    @Test
    void revisionInMemoryStartsAgainAfterAReplay() {
        Node correct = node(null);
        Node buggy = node(Bug.REVISION_IN_MEMORY);
        for (Node each : List.of(correct, buggy)) {
            each.machine.restoredThrough(2);
            each.apply(Command.put("a", "1", 0, null), 0);
            each.apply(Command.put("b", "1", 0, null), 0); // the last entry found on disk
        }
        assertEquals(3, correct.apply(Command.put("c", "1", 0, null), 0).revision());
        assertEquals(1, buggy.apply(Command.put("c", "1", 0, null), 0).revision());
    }

    @Test
    void noLeaderGraceExpiresLeasesBeforeTheNewLeadersGrace() {
        Node buggy = node(Bug.NO_LEADER_GRACE);
        String lease = buggy.grantLease(2, 0);
        buggy.term = 2;
        buggy.apply(Command.expire(), 2500);
        assertNull(buggy.machine.lease(lease, 2500));
    }

    @Test
    void lockNotReleasedOnExpiryKeepsTheLockWithTheDeadLease() {
        Node buggy = node(Bug.LOCK_NOT_RELEASED_ON_EXPIRY);
        buggy.apply(Command.grace(), 0);
        String lease = buggy.grantLease(2, 0);
        buggy.token("l", lease, 0);
        buggy.apply(Command.expire(), 2000);
        assertNull(buggy.machine.lease(lease, 2000));
        assertEquals(lease, buggy.machine.lock("l").lease());
        String other = buggy.grantLease(2, 2000);
        buggy.token("m", other, 2000);
        buggy.apply(Command.revoke(other), 2100);
        assertNull(buggy.machine.lock("m"), "a revoke still releases");
    }

    @Test
    void lockTableInLeaderMemoryLeavesFollowersWithoutTheHolder() {
        for (Bug bug : new Bug[] {null, Bug.LOCK_TABLE_IN_LEADER_MEMORY}) {
            Node f = follower(bug);
            String lease = f.grantLease(5, 0);
            f.apply(Command.acquire("l", lease, false), 0);
            assertEquals(bug == null, f.machine.lock("l") != null, String.valueOf(bug));
        }
    }

    @Test
    void fencedWriteAfterReleaseAcceptsTheLatestTokenOfAFreeLock() {
        for (Bug bug : new Bug[] {null, Bug.FENCED_WRITE_AFTER_RELEASE}) {
            Node node = node(bug);
            node.apply(Command.grace(), 0);
            String a = node.grantLease(5, 0);
            long token = node.token("l", a, 10);
            node.apply(Command.revoke(a), 20);
            int status = node.apply(Command.put("k", "late", 0, null).fenced("l", token), 30)
                    .status();
            assertEquals(bug == null ? 409 : 200, status, "a fenced write on a free lock with bug " + bug);
        }
    }

    @Test
    void tokenPerLeaderCountsFromOneInEachTerm() {
        Node buggy = node(Bug.TOKEN_PER_LEADER);
        buggy.apply(Command.grace(), 0);
        String lease = buggy.grantLease(5, 0);
        assertEquals(1, buggy.token("l", lease, 0));
        buggy.apply(Command.release("l", lease), 10);
        assertEquals(2, buggy.token("l", lease, 20));
        buggy.apply(Command.release("l", lease), 30);
        buggy.newTerm(40);
        assertEquals(1, buggy.token("l", lease, 50));
    }

    @Test
    void watchHistoryInLeaderMemoryLeavesFollowersWithoutEvents() throws InterruptedException {
        for (Bug bug : new Bug[] {null, Bug.WATCH_HISTORY_IN_LEADER_MEMORY}) {
            Node f = follower(bug);
            f.apply(Command.put("k", "v", 0, null), 0);
            assertEquals(bug == null ? 1 : 0, f.watch("k", false, 1).size(), String.valueOf(bug));
        }
    }

    @Test
    void expiryEmitsNoEventTakesARevisionButTellsNoWatcher() throws InterruptedException {
        Node buggy = node(Bug.EXPIRY_EMITS_NO_EVENT);
        buggy.apply(Command.put("k", "v", 1, null), 0);
        buggy.apply(Command.expire(), 1000);
        assertEquals(2, buggy.machine.revision());
        assertEquals(List.of(), buggy.watch("k", false, 2));
        buggy.apply(Command.delete("k"), 1100);
        assertEquals(1, buggy.watch("k", false, 2).size(), "a delete still tells");
    }

    @Test
    void watchRevExclusiveSkipsTheRevisionAskedFor() throws InterruptedException {
        Node buggy = node(Bug.WATCH_REV_EXCLUSIVE);
        buggy.apply(Command.put("k", "1", 0, null), 0);
        buggy.apply(Command.put("k", "2", 0, null), 0);
        assertEquals(List.of(new WatchHistory.Event(2, null, "put", "2")), buggy.watch("k", false, 1));
    }

    @Test
    void waitQueueInLeaderMemoryLeavesFollowersWithoutTheWaiter() {
        for (Bug bug : new Bug[] {null, Bug.WAIT_QUEUE_IN_LEADER_MEMORY}) {
            Node f = follower(bug);
            String holder = f.grantLease(5, 0);
            String waiter = f.grantLease(5, 0);
            f.apply(Command.acquire("l", holder, false), 0);
            f.apply(Command.acquire("l", waiter, true), 0);
            assertEquals(
                    bug == null ? List.of(waiter) : List.of(),
                    f.machine.lock("l").waiters(),
                    String.valueOf(bug));
            f.apply(Command.release("l", holder), 10);
            assertTrue(bug == null ? f.machine.lock("l") != null : f.machine.lock("l") == null);
        }
    }
}
