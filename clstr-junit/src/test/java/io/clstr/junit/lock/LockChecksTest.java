package io.clstr.junit.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.history.ScriptedHistory;
import io.clstr.junit.history.Violation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each lock check on hand-made histories: ones that must pass and ones that must fail, with what the failure names. */
class LockChecksTest {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(1);

    /** Builds a history with times in milliseconds; locks are called {@code x} unless named. */
    private static final class Script extends ScriptedHistory<LockInput, LockOutput> {
        /** A grant whose id the client learns from the answer ({@code lease}), with a TTL of {@code seconds}. */
        Entry<LockInput, LockOutput> grant(int client, String lease, long seconds, long callMs, long returnMs) {
            Duration ttl = Duration.ofSeconds(seconds);
            return add(
                    client,
                    new LockInput.GrantLease(null, ttl),
                    new LockOutput.LeaseGranted(lease, ttl),
                    Completion.OK,
                    callMs,
                    returnMs);
        }

        Entry<LockInput, LockOutput> keepalive(
                int client, String lease, long seconds, Completion completion, long callMs, long returnMs) {
            return add(
                    client,
                    new LockInput.Keepalive(lease, Duration.ofSeconds(seconds)),
                    completion == Completion.OK ? LockOutput.done() : null,
                    completion,
                    callMs,
                    returnMs);
        }

        Entry<LockInput, LockOutput> revoke(int client, String lease, long callMs, long returnMs) {
            return add(client, new LockInput.Revoke(lease), LockOutput.done(), Completion.OK, callMs, returnMs);
        }

        /** An acquire of lock {@code x} without a wait that answered {@code token}. */
        Entry<LockInput, LockOutput> acquire(int client, String lease, long token, long callMs, long returnMs) {
            return acquire(client, "x", lease, Duration.ZERO, new LockOutput.Granted(token), callMs, returnMs);
        }

        Entry<LockInput, LockOutput> acquire(
                int client, String lock, String lease, Duration wait, LockOutput answer, long callMs, long returnMs) {
            return add(client, new LockInput.Acquire(lock, lease, TTL, wait), answer, Completion.OK, callMs, returnMs);
        }

        /** A waiting acquire of lock {@code x} (1 s) that answered {@code lock is held}. */
        Entry<LockInput, LockOutput> waitHeld(int client, String lease, long callMs, long returnMs) {
            return acquire(client, "x", lease, WAIT, LockOutput.held(), callMs, returnMs);
        }

        /** A waiting acquire of lock {@code x} (1 s) that answered {@code token}. */
        Entry<LockInput, LockOutput> waitGranted(int client, String lease, long token, long callMs, long returnMs) {
            return acquire(client, "x", lease, WAIT, new LockOutput.Granted(token), callMs, returnMs);
        }

        Entry<LockInput, LockOutput> acquireInfo(int client, String lease, Duration wait, long callMs) {
            return add(client, new LockInput.Acquire("x", lease, TTL, wait), null, Completion.INFO, callMs, 0);
        }

        Entry<LockInput, LockOutput> release(
                int client, String lease, Completion completion, long callMs, long returnMs) {
            return add(
                    client,
                    new LockInput.Release("x", lease),
                    completion == Completion.OK ? LockOutput.done() : null,
                    completion,
                    callMs,
                    returnMs);
        }

        Entry<LockInput, LockOutput> write(
                int client, String lease, long token, LockOutput answer, long callMs, long returnMs) {
            return add(
                    client,
                    new LockInput.FencedWrite("x", lease, token, "k", lease + token),
                    answer,
                    Completion.OK,
                    callMs,
                    returnMs);
        }
    }

    /** Leases a and b, granted at once with {@code seconds} of TTL (alive for certain until that many seconds). */
    private static Script twoLeases(long seconds) {
        Script s = new Script();
        s.grant(1, "a", seconds, 0, 10);
        s.grant(2, "b", seconds, 0, 10);
        return s;
    }

    @Nested
    class MutualExclusion {
        @Test
        void passesWhenTheOtherLeaseAcquiresAfterTheRelease() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 110);
            s.release(1, "a", Completion.OK, 500, 510); // well before the lease would run out
            s.acquire(2, "b", 2, 520, 530);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void failsForAnAcquireWhollyInsideTheHoldNamingLeasesTokensAndTimes() {
            Script s = twoLeases(5);
            Entry<LockInput, LockOutput> first = s.acquire(1, "a", 1, 100, 110);
            Entry<LockInput, LockOutput> second = s.acquire(2, "b", 2, 200, 210);
            List<Violation> found = s.check(LockChecks.mutualExclusion());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).property()).isEqualTo("mutual exclusion");
            assertThat(found.get(0).text())
                    .isEqualTo("lock x: lease a held it for certain from +0.110 s (#2 (client 1), granted token 1)"
                            + " until +5.000 s (the lease's TTL from #0 (client 1) ran out), and lease b got it"
                            + " with #3 (client 2) (granted token 2), called at +0.200 s and answered at +0.210 s");
            assertThat(found.get(0).entries()).containsExactly(first.id(), second.id());
        }

        @Test
        void passesWhenTheAcquiresOverlap() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 300);
            s.acquire(2, "b", 2, 200, 210); // called before a's answer: a's grant may have come after b's release
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void sameLeaseRetriesAndReacquiresAreFine() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 110);
            s.acquire(3, "a", 1, 200, 210); // another client of the same lease
            s.acquire(1, "a", 1, 300, 310);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void passesWhenAPartitionedHoldersLeaseCertainlyRanOutFirst() {
            Script s = twoLeases(2);
            s.acquire(1, "a", 1, 100, 110);
            s.keepalive(1, "a", 2, Completion.INFO, 1500, 0); // cut off: may or may not have renewed
            s.acquire(2, "b", 2, 2100, 2200);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void failsWhenAPartitionedHoldersLeaseHadNotRunOut() {
            Script s = twoLeases(2);
            s.acquire(1, "a", 1, 100, 110);
            s.keepalive(1, "a", 2, Completion.INFO, 1500, 0);
            s.acquire(2, "b", 2, 1900, 1990); // answered before a's lease could end at +2.000 s
            assertThat(s.check(LockChecks.mutualExclusion()))
                    .extracting(Violation::text)
                    .singleElement()
                    .asString()
                    .contains("until +2.000 s", "lease b got it with #4 (client 2)");
        }

        @Test
        void anAcknowledgedKeepaliveExtendsTheHold() {
            Script s = twoLeases(2);
            s.acquire(1, "a", 1, 100, 110);
            s.keepalive(1, "a", 2, Completion.OK, 1500, 1510); // alive for certain until +3.500 s
            s.acquire(2, "b", 2, 3000, 3100);
            assertThat(s.check(LockChecks.mutualExclusion()))
                    .extracting(Violation::text)
                    .singleElement()
                    .asString()
                    .contains("until +3.500 s (the lease's TTL from #3 (client 1) ran out)");
        }

        @Test
        void aReleaseWithNoAnswerEndsTheHoldAtItsCall() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 110);
            s.release(1, "a", Completion.INFO, 300, 0);
            s.acquire(2, "b", 2, 400, 410);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void anOpenReleaseCalledBeforeTheAcquireLeavesNoCertainHold() {
            Script s = twoLeases(5);
            s.release(1, "a", Completion.INFO, 50, 0); // may take effect after the grant below
            s.acquire(1, "a", 1, 100, 110);
            s.acquire(2, "b", 2, 200, 210);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void aRevokeEndsTheHold() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 110);
            s.revoke(1, "a", 300, 310);
            s.acquire(2, "b", 2, 400, 410);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void aReleaseThatCertainlyFailedDoesNotEndIt() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 110);
            s.release(1, "a", Completion.FAIL, 300, 305);
            s.acquire(2, "b", 2, 400, 410);
            assertThat(s.check(LockChecks.mutualExclusion()))
                    .extracting(Violation::property)
                    .containsExactly("mutual exclusion");
        }

        @Test
        void acquiresWithNoAnswerOrRefusedAndOtherLocksDoNotCount() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 110);
            s.acquireInfo(2, "b", Duration.ZERO, 200);
            s.acquire(2, "x", "b", Duration.ZERO, LockOutput.held(), 300, 310);
            s.acquire(2, "x", "b", Duration.ZERO, new LockOutput.Refused(404, "lease not found"), 320, 330);
            s.acquire(2, "y", "b", Duration.ZERO, new LockOutput.Granted(1), 400, 410);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void aLeaseWhoseGrantIsNotRecordedHoldsNothingForCertain() {
            Script s = new Script();
            s.acquire(1, "a", 1, 100, 110);
            s.acquire(2, "b", 2, 200, 210);
            assertThat(s.check(LockChecks.mutualExclusion())).isEmpty();
        }

        @Test
        void theLeaseIdMayBeTheClientsLabelOrTheAnswers() {
            Script s = new Script();
            s.add(1, new LockInput.GrantLease("a", TTL), new LockOutput.LeaseGranted("a", TTL), Completion.OK, 0, 10);
            s.add(2, new LockInput.GrantLease(null, TTL), null, Completion.INFO, 0, 0); // never known: ignored
            s.acquire(1, "a", 1, 100, 110);
            s.acquire(2, "b", 2, 200, 210);
            assertThat(s.check(LockChecks.mutualExclusion())).hasSize(1);
        }
    }

    @Nested
    class FencingOrder {
        @Test
        void passesForIncreasingTokensAndRetriesThatRepeatTheirToken() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 1, 100, 110);
            s.acquire(1, "a", 1, 200, 210);
            s.acquire(2, "b", 2, 300, 310);
            assertThat(s.check(LockChecks.fencingOrder())).isEmpty();
        }

        @Test
        void overlappingGrantsMayHaveEitherOrder() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 5, 100, 300);
            s.acquire(2, "b", 4, 200, 210);
            assertThat(s.check(LockChecks.fencingOrder())).isEmpty();
        }

        @Test
        void failsForALaterGrantWithALowerToken() {
            Script s = twoLeases(5);
            Entry<LockInput, LockOutput> first = s.acquire(1, "a", 5, 100, 110);
            Entry<LockInput, LockOutput> second = s.acquire(2, "b", 4, 200, 210);
            List<Violation> found = s.check(LockChecks.fencingOrder());
            assertThat(found)
                    .extracting(Violation::text)
                    .containsExactly("lock x: lease a got token 5 (#2 (client 1), answered at +0.110 s) before lease"
                            + " b asked (#3 (client 2), called at +0.200 s), which got the lower token 4");
            assertThat(found.get(0).entries()).containsExactly(first.id(), second.id());
        }

        @Test
        void failsWhenTwoLeasesGetTheSameToken() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 3, 100, 300);
            s.acquire(2, "b", 3, 200, 210); // concurrent, still never the same token
            assertThat(s.check(LockChecks.fencingOrder()))
                    .extracting(Violation::text)
                    .containsExactly(
                            "lock x: token 3 was given to lease a (#2 (client 1)) and to lease b (#3 (client 2))");
        }

        @Test
        void failsWhenTheSameLeaseGetsALowerTokenLater() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 3, 100, 110);
            s.acquire(1, "a", 2, 200, 210);
            assertThat(s.check(LockChecks.fencingOrder())).hasSize(1);
        }

        @Test
        void skipsStagesWithoutTokens() {
            Script s = twoLeases(5);
            s.acquire(1, "a", 0, 100, 110);
            s.acquire(2, "b", 0, 200, 210);
            assertThat(s.check(LockChecks.fencingOrder())).isEmpty();
        }
    }

    /** A holder h and waiters a and b on lock x, all leases alive until +{@code seconds} s. */
    private static Script queue(long seconds) {
        Script s = twoLeases(seconds);
        s.grant(3, "h", seconds, 0, 10);
        s.acquire(3, "h", 1, 20, 30);
        return s;
    }

    @Nested
    class NoOvertaking {
        /** h releases x at +2.400 s and b is granted at once; a is still answered held after that. */
        private List<Entry<LockInput, LockOutput>> handOffToBWhileAWaits(Script s) {
            s.release(3, "h", Completion.OK, 2400, 2410);
            Entry<LockInput, LockOutput> bGranted = s.waitGranted(2, "b", 2, 2420, 2430);
            Entry<LockInput, LockOutput> aStillWaits = s.waitHeld(1, "a", 2500, 3500);
            return List.of(bGranted, aStillWaits);
        }

        @Test
        void passesWhenTheLockIsHandedOffInArrivalOrder() {
            Script s = queue(5);
            s.waitHeld(1, "a", 200, 1200);
            s.waitHeld(2, "b", 1300, 2300);
            s.release(3, "h", Completion.OK, 2400, 2410);
            s.waitGranted(1, "a", 2, 1250, 2405); // a's re-poll
            s.waitHeld(2, "b", 2350, 3350);
            s.release(1, "a", Completion.OK, 3400, 3410);
            s.waitGranted(2, "b", 3, 3360, 3405);
            assertThat(s.check(LockChecks.noOvertaking())).isEmpty();
        }

        @Test
        void failsWhenTheLaterWaiterIsGrantedWhileTheEarlierStillWaits() {
            Script s = queue(5);
            Entry<LockInput, LockOutput> aJoined = s.waitHeld(1, "a", 200, 1200);
            Entry<LockInput, LockOutput> bJoined = s.waitHeld(2, "b", 1300, 2300);
            List<Entry<LockInput, LockOutput>> handOff = handOffToBWhileAWaits(s);
            List<Violation> found = s.check(LockChecks.noOvertaking());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .isEqualTo("lock x: lease a joined the queue with #4 (client 1) (answered at +1.200 s) before"
                            + " lease b asked with #5 (client 2) (called at +1.300 s), yet b got the lock with"
                            + " #7 (client 2) (granted token 2, answered at +2.430 s) while a still waited:"
                            + " #8 (client 1), called at +2.500 s, answered held; a's lease was alive for certain"
                            + " until +5.000 s (#0 (client 1))");
            assertThat(found.get(0).entries())
                    .containsExactly(
                            aJoined.id(),
                            bJoined.id(),
                            handOff.get(0).id(),
                            handOff.get(1).id());
        }

        @Test
        void passesWhenTheJoinsOverlap() {
            Script s = queue(5);
            s.waitHeld(1, "a", 200, 1400);
            s.waitHeld(2, "b", 1300, 2300); // called before a's answer: b may be ahead
            handOffToBWhileAWaits(s);
            assertThat(s.check(LockChecks.noOvertaking())).isEmpty();
        }

        @Test
        void passesWhenTheEarlierWaiterLeftOrMayHaveLeft() {
            for (Completion leaving : List.of(Completion.OK, Completion.INFO)) {
                Script s = queue(5);
                s.waitHeld(1, "a", 200, 1200);
                s.waitHeld(2, "b", 1300, 2300);
                s.release(1, "a", leaving, 2310, 2320);
                handOffToBWhileAWaits(s); // a joined again, behind b
                assertThat(s.check(LockChecks.noOvertaking()))
                        .as("a's leave " + leaving)
                        .isEmpty();
            }
        }

        @Test
        void passesWhenTheEarlierWaitersLeaseMayHaveRunOut() {
            Script s = queue(2); // alive for certain until +2.000 s only
            s.waitHeld(1, "a", 200, 1200);
            s.waitHeld(2, "b", 1300, 2300);
            handOffToBWhileAWaits(s); // a new leader's grace may have brought it back
            assertThat(s.check(LockChecks.noOvertaking())).isEmpty();
        }

        @Test
        void failsWhenAKeepaliveKeptTheEarlierWaiterAlive() {
            Script s = queue(2);
            s.waitHeld(1, "a", 200, 1200);
            s.keepalive(1, "a", 2, Completion.OK, 1210, 1220); // alive until +3.210 s
            s.waitHeld(2, "b", 1300, 2300);
            handOffToBWhileAWaits(s);
            assertThat(s.check(LockChecks.noOvertaking()))
                    .extracting(Violation::text)
                    .singleElement()
                    .asString()
                    .endsWith("alive for certain until +3.210 s (#5 (client 1))");
        }

        @Test
        void passesWhenTheLaterLeaseKeptAnEarlierPlace() {
            Script s = queue(5);
            s.waitHeld(2, "b", 150, 1150); // b was first
            s.waitHeld(1, "a", 200, 1200);
            s.waitHeld(2, "b", 1300, 2300);
            handOffToBWhileAWaits(s);
            assertThat(s.check(LockChecks.noOvertaking())).isEmpty();
        }

        @Test
        void failsWhenTheLaterLeaseLeftAndJoinedAgainBehind() {
            Script s = queue(5);
            s.waitHeld(2, "b", 150, 1150);
            s.waitHeld(1, "a", 200, 1200);
            s.release(2, "b", Completion.OK, 1250, 1260); // b certainly left: its acquires had all returned
            Entry<LockInput, LockOutput> bJoined = s.waitHeld(2, "b", 1300, 2300);
            handOffToBWhileAWaits(s);
            assertThat(s.check(LockChecks.noOvertaking())).singleElement().satisfies(v -> assertThat(v.entries())
                    .contains(bJoined.id()));
        }

        @Test
        void aLeaveWhileAnAcquireOfTheSameLeaseMayStillActIsNoFreshStart() {
            Script s = queue(5);
            s.acquireInfo(2, "b", WAIT, 150); // may have joined at any time, even before a
            s.waitHeld(1, "a", 200, 1200);
            s.release(2, "b", Completion.OK, 1250, 1260);
            s.waitHeld(2, "b", 1300, 2300);
            handOffToBWhileAWaits(s);
            assertThat(s.check(LockChecks.noOvertaking())).isEmpty();
        }
    }

    @Nested
    class BoundedWaiting {
        private static final Duration BOUND = Duration.ofSeconds(5);

        /** Lease a (TTL 5 s) waits for x, held by h, from +0.100 s to +6.200 s. */
        private Script waiting() {
            Script s = queue(5);
            s.waitHeld(1, "a", 100, 3100);
            s.waitHeld(1, "a", 3200, 6200);
            return s;
        }

        @Test
        void failsForAWaiterKeptAliveAndStillHeldAfterTheBound() {
            Script s = waiting();
            s.keepalive(1, "a", 5, Completion.OK, 4000, 4010); // alive until +9.000 s
            Entry<LockInput, LockOutput> late = s.waitHeld(1, "a", 6300, 7300);
            s.waitHeld(1, "a", 7400, 8400); // the same wait: reported once
            List<Violation> found = s.check(LockChecks.boundedWaiting(BOUND));
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .isEqualTo("lock x: lease a waits since #4 (client 1) (called at +0.100 s) and #7 (client 1),"
                            + " called at +6.300 s, 6.200 s later (bound 5.000 s), still answered held; its lease"
                            + " was alive for certain until +9.000 s (#6 (client 1))");
            assertThat(found.get(0).entries()).containsExactly(4, late.id());
        }

        @Test
        void passesWhenGrantedWithinTheBound() {
            Script s = waiting();
            s.keepalive(1, "a", 5, Completion.OK, 4000, 4010);
            s.release(3, "h", Completion.OK, 4500, 4510);
            s.waitGranted(1, "a", 2, 6300, 6310);
            assertThat(s.check(LockChecks.boundedWaiting(BOUND))).isEmpty();
        }

        @Test
        void passesWhenTheLeaseMayHaveRunOut() {
            Script s = waiting();
            s.keepalive(1, "a", 5, Completion.INFO, 4000, 0);
            s.waitHeld(1, "a", 6300, 7300);
            assertThat(s.check(LockChecks.boundedWaiting(BOUND))).isEmpty();
        }

        @Test
        void aLeaveStartsANewWait() {
            Script s = queue(5);
            s.waitHeld(1, "a", 100, 3100);
            s.release(1, "a", Completion.OK, 3110, 3120);
            s.waitHeld(1, "a", 3200, 6200);
            s.keepalive(1, "a", 5, Completion.OK, 4000, 4010);
            s.waitHeld(1, "a", 6300, 7300); // 3.1 s after the new wait began
            assertThat(s.check(LockChecks.boundedWaiting(BOUND))).isEmpty();
        }

        @Test
        void aWaitingAcquireWithNoAnswerDoesNotStartTheWait() {
            Script s = queue(5);
            s.acquireInfo(1, "a", Duration.ofSeconds(3), 0);
            s.waitHeld(1, "a", 3100, 6100);
            s.keepalive(1, "a", 5, Completion.OK, 4000, 4010);
            s.waitHeld(1, "a", 6200, 7200); // 6.2 s after the unanswered one, 3.1 s after the first answer
            assertThat(s.check(LockChecks.boundedWaiting(BOUND))).isEmpty();
        }
    }

    @Nested
    class FencedWritesInTokenOrder {
        @Test
        void passesWhenTheStaleWriteIsRefusedOrMayHaveComeFirst() {
            Script s = twoLeases(2);
            s.acquire(1, "a", 1, 100, 110);
            s.write(1, "a", 1, LockOutput.done(), 200, 210);
            s.write(1, "a", 1, LockOutput.done(), 2900, 3100); // paused: called before b's grant returned
            s.acquire(2, "b", 2, 3000, 3010);
            s.write(2, "b", 2, LockOutput.done(), 3020, 3030);
            s.write(1, "a", 1, new LockOutput.Refused(409, "stale fencing token"), 3200, 3210);
            assertThat(s.check(LockChecks.fencedWritesInTokenOrder())).isEmpty();
        }

        @Test
        void failsForAStaleWriteAcknowledgedAfterANewerGrant() {
            Script s = twoLeases(2);
            s.acquire(1, "a", 1, 100, 110);
            Entry<LockInput, LockOutput> newer = s.acquire(2, "b", 2, 3000, 3010);
            Entry<LockInput, LockOutput> stale = s.write(1, "a", 1, LockOutput.done(), 3200, 3210);
            List<Violation> found = s.check(LockChecks.fencedWritesInTokenOrder());
            assertThat(found)
                    .extracting(Violation::text)
                    .containsExactly("lock x: #4 (client 1) wrote k = \"a1\" with token 1, called at +3.200 s, and"
                            + " was acknowledged, though lease b had been granted the lock with token 2"
                            + " (#3 (client 2), answered at +3.010 s): it should have been refused as stale");
            assertThat(found.get(0).entries()).containsExactly(newer.id(), stale.id());
        }

        @Test
        void failsForAStaleWriteAcknowledgedAfterANewerWrite() {
            Script s = new Script();
            s.write(2, "b", 2, LockOutput.done(), 100, 110);
            s.write(1, "a", 1, LockOutput.done(), 200, 210);
            s.write(3, null, 0, LockOutput.done(), 300, 310); // no token: skipped
            assertThat(s.check(LockChecks.fencedWritesInTokenOrder()))
                    .extracting(Violation::text)
                    .singleElement()
                    .asString()
                    .contains("a write had been acknowledged with token 2 (#0 (client 2)");
        }
    }

    @Test
    void aRecordedHistoryLearnsTheLeaseIdFromTheGrantsAnswer() {
        History<LockInput, LockOutput> history = new History<>();
        History.Handle grant = history.invoke(1, new LockInput.GrantLease(null, TTL));
        history.ok(grant, new LockOutput.LeaseGranted("7", TTL));
        History.Handle other = history.invoke(2, new LockInput.GrantLease(null, TTL));
        history.ok(other, new LockOutput.LeaseGranted("8", TTL));
        History.Handle first = history.invoke(1, new LockInput.Acquire("x", "7", TTL));
        history.ok(first, new LockOutput.Granted(1));
        History.Handle second = history.invoke(2, new LockInput.Acquire("x", "8", TTL));
        history.ok(second, new LockOutput.Granted(2)); // well within lease 7's 5 s
        assertThat(LockChecks.mutualExclusion().check(history.entries()))
                .singleElement()
                .satisfies(v -> assertThat(v.entries()).containsExactly(first.id(), second.id()));
    }

    @Test
    void inputsAndAnswersReadWellOnTheTimeline() {
        assertThat(new LockInput.Acquire("x", "a", TTL, Duration.ofMillis(2500)))
                .hasToString("acquire x lease a wait 2.5 s");
        assertThat(new LockInput.Acquire("x", "a", TTL)).hasToString("acquire x lease a");
        assertThat(new LockInput.GrantLease(null, TTL)).hasToString("grant lease ttl 5.0 s");
        assertThat(new LockOutput.Refused(404, "lease not found")).hasToString("404 lease not found");
        assertThat(new LockOutput.Granted(0)).hasToString("granted");
    }
}
