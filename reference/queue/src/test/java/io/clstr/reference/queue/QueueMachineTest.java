package io.clstr.reference.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clstr.reference.raft.BugSwitch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine applies commands by their stamps alone: deliveries, receipts, expiry and order. */
class QueueMachineTest {

    private final QueueMachine machine = new QueueMachine(BugSwitch.none());

    private Outcome apply(Command command, long stamp) {
        return machine.apply(command.stamped(stamp));
    }

    @SuppressWarnings("unchecked")
    private List<QueueMachine.Delivery> receive(int max, long visibility, long stamp) {
        return (List<QueueMachine.Delivery>)
                apply(Command.receive("q", max, visibility, "n" + stamp), stamp).body();
    }

    @Test
    void aDeliveryHidesItsMessageUntilItsDeadlineThenItComesBackInPlace() {
        apply(Command.send("q", "a", 0), 0);
        apply(Command.send("q", "b", 0), 0);
        QueueMachine.Delivery a = receive(1, 1000, 10).get(0);
        assertEquals("a", a.body());
        assertEquals(
                List.of("b"),
                receive(10, 5000, 999).stream().map(QueueMachine.Delivery::body).toList());
        assertTrue(receive(10, 5000, 1009).isEmpty(), "a is hidden until 10 + 1000");
        List<QueueMachine.Delivery> again = receive(10, 5000, 1010);
        assertEquals("a", again.get(0).body());
        assertEquals(2, again.get(0).receiveCount());
        assertEquals(409, apply(Command.delete("q", a.receipt()), 1020).status(), "the old receipt expired");
        assertEquals(
                200, apply(Command.delete("q", again.get(0).receipt()), 1030).status());
        assertEquals(
                200, apply(Command.delete("q", again.get(0).receipt()), 1040).status(), "a repeat is fine");
        assertEquals(404, apply(Command.delete("q", "never"), 1050).status());
    }

    @Test
    void idsAreNeverGivenTwiceEvenAfterClear() {
        assertEquals(
                new QueueMachine.Sent(1), apply(Command.send("q", "a", 0), 0).body());
        apply(Command.clear(), 1);
        assertEquals(
                new QueueMachine.Sent(2), apply(Command.send("q", "b", 0), 2).body());
    }

    @Test
    void aVisibilityChangeMovesTheDeadlineAndZeroReleasesAtOnce() {
        apply(Command.send("q", "a", 0), 0);
        QueueMachine.Delivery a = receive(1, 1000, 0).get(0);
        assertEquals(200, apply(Command.visibility("q", a.receipt(), 5000), 500).status());
        assertTrue(receive(1, 1000, 2000).isEmpty(), "extended to 5500");
        assertEquals(200, apply(Command.visibility("q", a.receipt(), 0), 2100).status());
        assertEquals("a", receive(1, 1000, 2100).get(0).body());
        assertEquals(409, apply(Command.visibility("q", a.receipt(), 10), 2200).status());
    }

    @Test
    void aMessageAtItsLimitMovesToTheDeadLetterQueueInTheEntryThatExpiresIt() {
        apply(Command.config("q", 1, "q-dlq", 5000), 0);
        apply(Command.send("q", "poison", 0), 0);
        receive(1, 1000, 0);
        assertEquals(new QueueMachine.Counts(0, 1), machine.counts("q"));
        apply(Command.expire(), 1000);
        assertEquals(new QueueMachine.Counts(0, 0), machine.counts("q"));
        assertEquals(new QueueMachine.Counts(1, 0), machine.counts("q-dlq"));
        @SuppressWarnings("unchecked")
        List<QueueMachine.Delivery> moved = (List<QueueMachine.Delivery>)
                apply(Command.receive("q-dlq", 1, 1000, "n"), 1001).body();
        assertEquals("poison", moved.get(0).body());
        assertEquals(1, moved.get(0).receiveCount(), "the count starts again in the dead-letter queue");
    }

    @Test
    void aRepeatedDedupIdWithinTheWindowReturnsTheFirstIdEvenAfterTheDelete() {
        Object first = apply(Command.send("q", "a", 0).withDedupId("d"), 0).body();
        QueueMachine.Delivery d = receive(1, 1000, 10).get(0);
        apply(Command.delete("q", d.receipt()), 20);
        assertEquals(
                first, apply(Command.send("q", "a", 0).withDedupId("d"), 9_999).body());
        assertEquals(new QueueMachine.Counts(0, 0), machine.counts("q"));
        assertEquals(
                new QueueMachine.Sent(2),
                apply(Command.send("q", "a", 0).withDedupId("d"), 10_000).body());
    }

    @Test
    void aGroupWithAMessageInFlightIsSkipped() {
        apply(Command.send("q", "a1", 0).inGroup("a"), 0);
        apply(Command.send("q", "a2", 0).inGroup("a"), 0);
        apply(Command.send("q", "b1", 0).inGroup("b"), 0);
        assertEquals(
                List.of("a1", "b1"),
                receive(10, 5000, 1).stream().map(QueueMachine.Delivery::body).toList(),
                "one message per group, the head");
        assertTrue(receive(10, 5000, 2).isEmpty(), "both groups are blocked");
        assertEquals("a1", receive(10, 5000, 5001).get(0).body(), "the expired head comes back first");
    }

    @Test
    void streamOffsetsArePositionsPerKeyAndCommitsKeepTheMaximum() {
        assertEquals(
                new QueueMachine.Appended(0), apply(Command.append("s", "x"), 0).body());
        assertEquals(
                new QueueMachine.Appended(1), apply(Command.append("s", "y"), 0).body());
        assertEquals(
                new QueueMachine.Appended(0), apply(Command.append("t", "z"), 0).body());
        assertEquals(List.of(new QueueMachine.Read(1, "y")), machine.poll("s", 1, 10));
        apply(Command.commit("s", "g", 7), 1);
        apply(Command.commit("s", "g", 5), 2);
        assertEquals(7L, machine.committed("s", "g"));
    }
}
