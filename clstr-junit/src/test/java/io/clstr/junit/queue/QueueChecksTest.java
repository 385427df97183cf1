package io.clstr.junit.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.HistoryCheck;
import io.clstr.junit.history.Violation;
import io.clstr.junit.linearizability.Operation;
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
    private static final class Script {
        private final List<Entry<QueueInput, QueueOutput>> entries = new ArrayList<>();

        Entry<QueueInput, QueueOutput> add(
                int client, QueueInput input, QueueOutput output, Completion completion, long callMs, long returnMs) {
            long ret = completion == Completion.INFO ? Operation.OPEN : returnMs * 1_000_000;
            Entry<QueueInput, QueueOutput> e =
                    new Entry<>(entries.size(), client, input, output, completion, callMs * 1_000_000, ret);
            entries.add(e);
            return e;
        }

        Entry<QueueInput, QueueOutput> send(int client, String body, long id, long callMs, long returnMs) {
            return add(client, QueueInput.send("q", body), new QueueOutput.Sent(id), Completion.OK, callMs, returnMs);
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

        List<Violation> check(HistoryCheck<QueueInput, QueueOutput> check) {
            return check.check(List.copyOf(entries));
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
}
