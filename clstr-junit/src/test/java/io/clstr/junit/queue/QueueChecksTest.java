package io.clstr.junit.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.ScriptedHistory;
import io.clstr.junit.history.Violation;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each queue check on hand-made histories: ones that must pass and ones that must fail, with what the failure names. */
class QueueChecksTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    /** Builds a history with times in milliseconds. */
    private static final class Script extends ScriptedHistory<QueueInput, QueueOutput> {
        Entry<QueueInput, QueueOutput> send(int client, String body, long id, long callMs, long returnMs) {
            return add(client, QueueInput.send("q", body), new QueueOutput.Sent(id), Completion.OK, callMs, returnMs);
        }

        Entry<QueueInput, QueueOutput> send(int client, QueueInput.Send input, long id, long callMs, long returnMs) {
            return add(client, input, new QueueOutput.Sent(id), Completion.OK, callMs, returnMs);
        }

        /** A receive from {@code queue} of up to 10 for 5 s that returned {@code delivered} (body:receipt:id). */
        Entry<QueueInput, QueueOutput> receiveFrom(
                String queue, int client, long callMs, long returnMs, String... delivered) {
            List<Delivery> deliveries = new ArrayList<>();
            for (String d : delivered) {
                String[] parts = d.split(":");
                deliveries.add(new Delivery(Long.parseLong(parts[2]), parts[0], parts[1], 1));
            }
            return add(
                    client,
                    QueueInput.receive(queue, 10, FIVE_SECONDS),
                    new QueueOutput.Received(deliveries),
                    Completion.OK,
                    callMs,
                    returnMs);
        }

        Entry<QueueInput, QueueOutput> sendInfo(int client, String body, long callMs) {
            return add(client, QueueInput.send("q", body), null, Completion.INFO, callMs, 0);
        }

        Entry<QueueInput, QueueOutput> sendFailed(int client, String body, long callMs, long returnMs) {
            return add(client, QueueInput.send("q", body), null, Completion.FAIL, callMs, returnMs);
        }

        /** A receive of up to 10 for 5 s that returned {@code delivered} (body:receipt pairs). */
        Entry<QueueInput, QueueOutput> receive(int client, long callMs, long returnMs, String... delivered) {
            List<Delivery> deliveries = new ArrayList<>();
            for (String d : delivered) {
                String[] parts = d.split(":");
                deliveries.add(new Delivery(deliveries.size(), parts[0], parts[1], 1));
            }
            return add(
                    client,
                    QueueInput.receive("q", 10, FIVE_SECONDS),
                    new QueueOutput.Received(deliveries),
                    Completion.OK,
                    callMs,
                    returnMs);
        }

        Entry<QueueInput, QueueOutput> delete(int client, String receipt, long callMs, long returnMs) {
            return add(client, QueueInput.delete("q", receipt), QueueOutput.done(), Completion.OK, callMs, returnMs);
        }

        Entry<QueueInput, QueueOutput> visibility(
                int client, String receipt, long seconds, Completion completion, long callMs, long returnMs) {
            return add(
                    client,
                    QueueInput.changeVisibility("q", receipt, Duration.ofSeconds(seconds)),
                    completion == Completion.OK ? QueueOutput.done() : null,
                    completion,
                    callMs,
                    returnMs);
        }
    }

    @Nested
    class NoLoss {
        @Test
        void passesWhenEveryAcknowledgedSendIsDelivered() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.sendInfo(1, "maybe", 20);
            s.receive(2, 30, 40, "a:r1");
            assertThat(s.check(QueueChecks.noLoss())).isEmpty();
        }

        @Test
        void failsNamingTheLostMessage() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            Entry<QueueInput, QueueOutput> lost = s.send(1, "b", 2, 20, 30);
            s.receive(2, 40, 50, "a:r1");
            List<Violation> found = s.check(QueueChecks.noLoss());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).property()).isEqualTo("no loss");
            assertThat(found.get(0).text()).contains("\"b\"", "#1 (client 1)", "never delivered");
            assertThat(found.get(0).entries()).containsExactly(lost.id());
        }
    }

    @Nested
    class NoUnexpected {
        @Test
        void passesForMessagesWhoseSendMayHaveHappened() {
            Script s = new Script();
            s.sendInfo(1, "maybe", 0);
            s.receive(2, 30, 40, "maybe:r1");
            assertThat(s.check(QueueChecks.noUnexpected())).isEmpty();
        }

        @Test
        void failsForARefusedSendThatWasDelivered() {
            Script s = new Script();
            s.sendFailed(1, "refused", 0, 5);
            s.receive(2, 30, 40, "refused:r1", "ghost:r2");
            List<Violation> found = s.check(QueueChecks.noUnexpected());
            assertThat(found)
                    .extracting(Violation::text)
                    .containsExactly(
                            "\"refused\" was delivered by #1 (client 2) but its send #0 (client 1) was refused",
                            "\"ghost\" was delivered by #1 (client 2) but never sent");
        }
    }

    @Nested
    class ExactlyOnce {
        @Test
        void passesWhenEachMessageIsDeliveredOnce() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.send(1, "b", 2, 10, 20);
            s.receive(2, 30, 40, "a:r1");
            s.receive(3, 30, 40, "b:r2");
            assertThat(s.check(QueueChecks.exactlyOnce())).isEmpty();
        }

        @Test
        void failsForTwoDeliveriesAndForNone() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.send(1, "b", 2, 10, 20);
            s.receive(2, 30, 40, "a:r1");
            s.receive(3, 6000, 6010, "a:r2");
            List<Violation> found = s.check(QueueChecks.exactlyOnce());
            assertThat(found)
                    .extracting(Violation::text)
                    .containsExactly(
                            "\"a\" (#0 (client 1)) was delivered 2 times: #2 (client 2), #3 (client 3)",
                            "\"b\" (#1 (client 1)) was delivered never");
        }
    }

    @Nested
    class ExclusiveDelivery {
        @Test
        void passesWhenTheSecondDeliveryMayHaveComeAfterTheDeadline() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.receive(2, 100, 200, "a:r1"); // hidden for certain until 100 + 5000
            s.receive(3, 5000, 5200, "a:r2"); // may have been served after 5100
            assertThat(s.check(QueueChecks.exclusiveDelivery())).isEmpty();
        }

        @Test
        void passesWhenTheHolderMadeItVisibleAgain() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.receive(2, 100, 200, "a:r1");
            s.visibility(2, "r1", 0, Completion.OK, 300, 310);
            s.receive(3, 400, 410, "a:r2");
            assertThat(s.check(QueueChecks.exclusiveDelivery())).isEmpty();
        }

        @Test
        void passesWhenAVisibilityChangeThatMayHaveHappenedShortenedTheLease() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.receive(2, 100, 200, "a:r1");
            s.visibility(2, "r1", 0, Completion.INFO, 300, 0);
            s.receive(3, 400, 410, "a:r2");
            assertThat(s.check(QueueChecks.exclusiveDelivery())).isEmpty();
        }

        @Test
        void failsForASecondDeliveryInsideTheCertainWindow() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            Entry<QueueInput, QueueOutput> first = s.receive(2, 100, 200, "a:r1");
            Entry<QueueInput, QueueOutput> second = s.receive(3, 4000, 4010, "a:r2");
            List<Violation> found = s.check(QueueChecks.exclusiveDelivery());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .contains("\"a\"", "receipt r1", "until +5.095 s", "#2 (client 3) (+4.000 s–+4.010 s)");
            assertThat(found.get(0).entries()).containsExactly(first.id(), second.id());
        }

        @Test
        void anExtensionThatSucceededMovesTheDeadline() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.receive(2, 100, 200, "a:r1");
            s.visibility(2, "r1", 10, Completion.OK, 4000, 4010); // hidden until 14 s
            s.receive(3, 8000, 8010, "a:r2");
            assertThat(s.check(QueueChecks.exclusiveDelivery()))
                    .extracting(Violation::property)
                    .containsExactly("exclusive delivery");
        }
    }

    @Nested
    class NoResurrection {
        @Test
        void passesWhenTheRedeliveryMayHavePrecededTheDelete() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.receive(2, 100, 200, "a:r1");
            s.delete(2, "r1", 5000, 6000);
            s.receive(3, 5500, 5600, "a:r2");
            assertThat(s.check(QueueChecks.noResurrection())).isEmpty();
        }

        @Test
        void failsForADeliveryCalledAfterTheDeleteReturned() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.receive(2, 100, 200, "a:r1");
            Entry<QueueInput, QueueOutput> delete = s.delete(2, "r1", 300, 310);
            Entry<QueueInput, QueueOutput> again = s.receive(3, 7000, 7010, "a:r2");
            List<Violation> found = s.check(QueueChecks.noResurrection());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text()).contains("\"a\" was deleted by #2 (client 2)", "#3 (client 3)");
            assertThat(found.get(0).entries()).containsExactly(delete.id(), again.id());
        }
    }

    @Nested
    class FifoFirstDelivery {
        @Test
        void passesForInOrderAndOverlappingFirstDeliveries() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.send(1, "b", 2, 20, 30);
            s.send(1, "c", 3, 40, 50);
            s.receive(2, 100, 200, "a:r1"); // overlaps the receive of b: either may have come first
            s.receive(3, 150, 160, "b:r2");
            s.receive(2, 300, 310, "c:r3");
            assertThat(s.check(QueueChecks.fifoFirstDelivery())).isEmpty();
        }

        @Test
        void sendsOfDifferentClientsHaveNoOrder() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.send(2, "b", 2, 20, 30);
            s.receive(3, 100, 110, "b:r1");
            s.receive(3, 200, 210, "a:r2");
            assertThat(s.check(QueueChecks.fifoFirstDelivery())).isEmpty();
        }

        @Test
        void failsWhenTheLaterMessageIsFirstDeliveredBeforeTheEarlier() {
            Script s = new Script();
            Entry<QueueInput, QueueOutput> a = s.send(1, "a", 1, 0, 10);
            Entry<QueueInput, QueueOutput> b = s.send(1, "b", 2, 20, 30);
            Entry<QueueInput, QueueOutput> gotB = s.receive(2, 100, 110, "b:r1");
            Entry<QueueInput, QueueOutput> gotA = s.receive(2, 200, 210, "a:r2");
            List<Violation> found = s.check(QueueChecks.fifoFirstDelivery());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .startsWith("client 1 sent \"a\" (#0 (client 1)) before \"b\" (#1 (client 1))");
            assertThat(found.get(0).entries()).containsExactly(a.id(), b.id(), gotA.id(), gotB.id());
        }

        @Test
        void aReceiveWithNoAnswerMayHaveDeliveredTheEarlierMessageFirst() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.send(1, "b", 2, 20, 30);
            s.add(2, QueueInput.receive("q", 1, FIVE_SECONDS), null, Completion.INFO, 40, 0); // a crash ate the answer
            s.receive(3, 100, 110, "b:r1");
            s.receive(3, 6000, 6010, "a:r2"); // a came back when the unseen delivery expired
            assertThat(s.check(QueueChecks.fifoFirstDelivery())).isEmpty();
        }

        @Test
        void aReceiveWithNoAnswerCalledJustBeforeTheEarlierSendMayStillHaveDeliveredIt() {
            // seen in a CI rehearsal: the unanswered receive began a hair before the send of "a"
            Script s = new Script();
            s.add(2, QueueInput.receive("q", 1, FIVE_SECONDS), null, Completion.INFO, 5, 0); // a crash ate the answer
            s.send(1, "a", 1, 6, 10);
            s.send(1, "b", 2, 20, 30);
            s.receive(3, 100, 110, "b:r1");
            s.receive(3, 6000, 6010, "a:r2"); // a came back when the unseen delivery expired
            assertThat(s.check(QueueChecks.fifoFirstDelivery())).isEmpty();
        }

        @Test
        void failsForABatchInTheWrongOrder() {
            Script s = new Script();
            s.send(1, "a", 1, 0, 10);
            s.send(1, "b", 2, 20, 30);
            s.receive(2, 100, 110, "b:r1", "a:r2");
            assertThat(s.check(QueueChecks.fifoFirstDelivery()))
                    .extracting(Violation::text)
                    .singleElement()
                    .asString()
                    .endsWith("ahead of it in the same batch");
        }
    }

    @Test
    void atLeastOnceReportsEveryBrokenProperty() {
        Script s = new Script();
        s.send(1, "a", 1, 0, 10);
        s.send(1, "b", 2, 20, 30);
        s.receive(2, 100, 110, "b:r1");
        s.delete(2, "r1", 120, 130);
        s.receive(3, 200, 210, "b:r2");
        assertThat(s.check(QueueChecks.atLeastOnce()))
                .extracting(Violation::property)
                .containsExactlyInAnyOrder("no loss", "exclusive delivery", "no resurrection");
    }

    @Nested
    class Groups {
        private QueueInput.Send grouped(String body, String group) {
            return new QueueInput.Send("q", body, group, null);
        }

        @Test
        void groupOrderFollowsTheIdsWhoeverSent() {
            Script s = new Script();
            s.send(1, grouped("a1", "a"), 1, 0, 10);
            s.send(2, grouped("a2", "a"), 2, 20, 30);
            s.receiveFrom("q", 3, 100, 110, "a1:r1:1");
            s.delete(3, "r1", 120, 130);
            s.receiveFrom("q", 3, 200, 210, "a2:r2:2");
            assertThat(s.check(QueueChecks.perGroupOrder())).isEmpty();

            Script wrong = new Script();
            wrong.send(1, grouped("a1", "a"), 1, 0, 10);
            wrong.send(2, grouped("a2", "a"), 2, 20, 30);
            wrong.receiveFrom("q", 3, 100, 110, "a2:r1:2");
            wrong.receiveFrom("q", 3, 200, 210, "a1:r2:1");
            assertThat(wrong.check(QueueChecks.perGroupOrder()))
                    .extracting(Violation::text)
                    .singleElement()
                    .asString()
                    .startsWith("group a took \"a1\" (id 1) before \"a2\" (id 2), but \"a2\" was first delivered");
        }

        @Test
        void twoMessagesOfAGroupInFlightAtOnceAreAViolationOtherGroupsAreNot() {
            Script s = new Script();
            s.send(1, grouped("a1", "a"), 1, 0, 10);
            s.send(1, grouped("a2", "a"), 2, 20, 30);
            s.send(1, grouped("b1", "b"), 3, 40, 50);
            s.receiveFrom("q", 2, 100, 110, "a1:r1:1");
            s.receiveFrom("q", 3, 200, 210, "b1:r2:3"); // another group: fine
            Entry<QueueInput, QueueOutput> second = s.receiveFrom("q", 3, 300, 310, "a2:r3:2");
            List<Violation> found = s.check(QueueChecks.groupExclusivity());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text()).startsWith("group a: \"a1\" was in flight (#3 (client 2)");
            assertThat(found.get(0).entries()).contains(second.id());

            Script released = new Script();
            released.send(1, grouped("a1", "a"), 1, 0, 10);
            released.send(1, grouped("a2", "a"), 2, 20, 30);
            released.receiveFrom("q", 2, 100, 110, "a1:r1:1");
            released.delete(2, "r1", 150, 160);
            released.receiveFrom("q", 3, 300, 310, "a2:r3:2");
            assertThat(released.check(QueueChecks.groupExclusivity())).isEmpty();
        }
    }

    @Nested
    class DeadLetters {
        @Test
        void aMovedMessageIsInTheDeadLetterQueueOnly() {
            Script s = new Script();
            s.send(1, "poison", 1, 0, 10);
            s.receiveFrom("q", 2, 100, 110, "poison:r1:1");
            s.receiveFrom("q-dlq", 2, 6000, 6010, "poison:r2:1");
            assertThat(s.check(QueueChecks.deadLetterConservation())).isEmpty();
        }

        @Test
        void aDeletedMessageThatIsAlsoMovedOrOneMovedTwiceIsAViolation() {
            Script deleted = new Script();
            deleted.send(1, "m", 1, 0, 10);
            deleted.receiveFrom("q", 2, 100, 110, "m:r1:1");
            deleted.delete(2, "r1", 120, 130);
            deleted.receiveFrom("q-dlq", 2, 6000, 6010, "m:r2:1");
            assertThat(deleted.check(QueueChecks.deadLetterConservation()))
                    .extracting(Violation::text)
                    .containsExactly("\"m\" was deleted from q by #2 (client 2) and is also in q-dlq (delivered by #3 "
                            + "(client 2))");

            Script twice = new Script();
            twice.send(1, "m", 1, 0, 10);
            twice.receiveFrom("q-dlq", 2, 6000, 6010, "m:r2:1");
            twice.receiveFrom("q-dlq", 2, 7000, 7010, "m:r3:2");
            assertThat(twice.check(QueueChecks.deadLetterConservation()))
                    .extracting(Violation::text)
                    .containsExactly(
                            "\"m\" (#0 (client 1)) was moved more than once: delivered from q-dlq under ids [1, 2]");
        }
    }

    @Nested
    class Dedup {
        private QueueInput.Send dedup(String body, String id) {
            return new QueueInput.Send("q", body, null, id);
        }

        @Test
        void repeatsInsideTheWindowGetTheFirstIdAndOneMessageIsDelivered() {
            Script s = new Script();
            s.send(1, dedup("m", "d1"), 7, 0, 10);
            s.send(2, dedup("m", "d1"), 7, 20, 30);
            s.receiveFrom("q", 3, 100, 110, "m:r1:7");
            assertThat(s.check(QueueChecks.oneMessagePerDedupId(Duration.ofSeconds(10))))
                    .isEmpty();
        }

        @Test
        void aSecondIdInsideTheWindowIsAViolationAfterItIsAllowed() {
            Script s = new Script();
            s.send(1, dedup("m", "d1"), 7, 0, 10);
            s.send(2, dedup("m", "d1"), 8, 20, 30);
            s.receiveFrom("q", 3, 100, 110, "m:r1:7", "m:r2:8");
            assertThat(s.check(QueueChecks.oneMessagePerDedupId(Duration.ofSeconds(10))))
                    .extracting(Violation::text)
                    .containsExactly(
                            "dedup id d1: #0 (client 1) got id 7 and #1 (client 2), inside the window, got id 8",
                            "dedup id d1 was delivered as 2 messages, ids [7, 8]");

            Script late = new Script();
            late.send(1, dedup("m", "d1"), 7, 0, 10);
            late.send(2, dedup("m", "d1"), 9, 11_000, 11_010);
            assertThat(late.check(QueueChecks.oneMessagePerDedupId(Duration.ofSeconds(10))))
                    .isEmpty();
        }
    }
}
