package io.clstr.junit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.ScriptedHistory;
import io.clstr.junit.history.Violation;
import io.clstr.junit.stream.StreamOutput.Read;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each stream check on hand-made histories: ones that must pass and ones that must fail, with what the failure names. */
class StreamChecksTest {

    /** Builds a history on stream "s" with times in milliseconds. */
    private static final class Script extends ScriptedHistory<StreamInput, StreamOutput> {
        Entry<StreamInput, StreamOutput> send(int client, String message, long offset, long callMs, long returnMs) {
            return add(
                    client,
                    new StreamInput.Send("s", message),
                    new StreamOutput.Sent(offset),
                    Completion.OK,
                    callMs,
                    returnMs);
        }

        Entry<StreamInput, StreamOutput> sendInfo(int client, String message, long callMs) {
            return add(client, new StreamInput.Send("s", message), null, Completion.INFO, callMs, 0);
        }

        /** A poll from {@code from} that returned {@code reads} (offset:message pairs). */
        Entry<StreamInput, StreamOutput> poll(int client, long from, long callMs, long returnMs, String... reads) {
            List<Read> got = new ArrayList<>();
            for (String r : reads) {
                String[] parts = r.split(":");
                got.add(new Read(Long.parseLong(parts[0]), parts[1]));
            }
            return add(
                    client,
                    new StreamInput.Poll("s", from, 100),
                    new StreamOutput.Polled(got),
                    Completion.OK,
                    callMs,
                    returnMs);
        }

        Entry<StreamInput, StreamOutput> commit(int client, long offset, long callMs, long returnMs) {
            return add(
                    client,
                    new StreamInput.Commit("s", "g", offset),
                    new StreamOutput.Done(),
                    Completion.OK,
                    callMs,
                    returnMs);
        }

        Entry<StreamInput, StreamOutput> committed(int client, Long offset, long callMs, long returnMs) {
            return add(
                    client,
                    new StreamInput.ReadCommitted("s", "g"),
                    new StreamOutput.Committed(offset),
                    Completion.OK,
                    callMs,
                    returnMs);
        }
    }

    /** Three sends one after the other, read back, committed and read again: every property holds. */
    @Test
    void aCorrectHistoryPassesEveryCheck() {
        Script s = new Script();
        s.send(1, "a", 0, 0, 10);
        s.send(1, "b", 1, 20, 30);
        s.send(2, "c", 5, 25, 40); // offsets need not be dense
        s.sendInfo(2, "d", 45); // may or may not be in the log
        s.poll(3, 0, 50, 60, "0:a", "1:b", "5:c");
        s.commit(3, 6, 70, 80);
        s.committed(3, 6L, 90, 100);
        s.poll(3, 6, 110, 120, "6:d");
        s.commit(3, 7, 130, 140);
        s.committed(4, 7L, 150, 160);
        assertThat(s.check(StreamChecks.all())).isEmpty();
    }

    @Nested
    class NoLostWrites {
        @Test
        void anAcknowledgedWriteThatAPollPassedOverIsLost() {
            Script s = new Script();
            Entry<StreamInput, StreamOutput> b;
            s.send(1, "a", 0, 0, 10);
            b = s.send(1, "b", 1, 20, 30);
            s.send(1, "c", 2, 40, 50);
            Entry<StreamInput, StreamOutput> poll = s.poll(2, 0, 60, 70, "0:a", "2:c");
            List<Violation> found = s.check(StreamChecks.noLostWrites());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).property()).isEqualTo("no lost writes");
            assertThat(found.get(0).text())
                    .isEqualTo("\"b\" was acknowledged at offset 1 of s (#1 (client 1)) and never read, though "
                            + "#3 (client 2) read s from offset 0 past it (to offset 2)");
            assertThat(found.get(0).entries()).containsExactly(b.id(), poll.id());
        }

        @Test
        void aWriteNoPollReachedIsNotReported() {
            Script s = new Script();
            s.send(1, "a", 0, 0, 10);
            s.send(1, "b", 1, 20, 30);
            s.poll(2, 0, 5, 15, "0:a");
            s.poll(2, 2, 40, 50);
            assertThat(s.check(StreamChecks.noLostWrites())).isEmpty();
        }

        @Test
        void aSendThatGotNoAnswerMayBeMissing() {
            Script s = new Script();
            s.sendInfo(1, "a", 0);
            s.send(1, "b", 1, 20, 30);
            s.poll(2, 0, 60, 70, "1:b");
            assertThat(s.check(StreamChecks.noLostWrites())).isEmpty();
        }
    }

    @Nested
    class NoDuplicates {
        @Test
        void aMessageAtTwoOffsetsIsADuplicate() {
            Script s = new Script();
            s.sendInfo(1, "a", 0);
            s.poll(2, 0, 60, 70, "0:a", "3:a");
            List<Violation> found = s.check(StreamChecks.noDuplicates());
            assertThat(found)
                    .extracting(Violation::text)
                    .containsExactly(
                            "\"a\" is at 2 offsets of s: 0 (read by #1 (client 2)), 3 (read by #1 (client 2))");
        }

        @Test
        void aMessageReadAtAnotherOffsetThanItsSendWasGivenIsADuplicate() {
            Script s = new Script();
            Entry<StreamInput, StreamOutput> send = s.send(1, "a", 4, 0, 10);
            Entry<StreamInput, StreamOutput> poll = s.poll(2, 0, 60, 70, "2:a");
            List<Violation> found = s.check(StreamChecks.noDuplicates());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .isEqualTo(
                            "\"a\" is at 2 offsets of s: 2 (read by #1 (client 2)), 4 (acknowledged to #0 (client 1))");
            assertThat(found.get(0).entries()).containsExactlyInAnyOrder(send.id(), poll.id());
        }

        @Test
        void theSameMessageInTwoStreamsIsNoDuplicate() {
            Script s = new Script();
            s.send(1, "a", 0, 0, 10);
            s.add(1, new StreamInput.Send("t", "a"), new StreamOutput.Sent(3), Completion.OK, 20, 30);
            assertThat(s.check(StreamChecks.noDuplicates())).isEmpty();
        }
    }

    @Nested
    class OneMessagePerOffset {
        @Test
        void twoSendsGivenOneOffsetFail() {
            Script s = new Script();
            s.send(1, "a", 0, 0, 10);
            s.send(2, "b", 0, 5, 15);
            assertThat(s.check(StreamChecks.oneMessagePerOffset()))
                    .extracting(Violation::text)
                    .containsExactly("offset 0 of s holds 2 messages: \"a\" (acknowledged to #0 (client 1)), "
                            + "\"b\" (acknowledged to #1 (client 2))");
        }

        @Test
        void aPollThatFindsAnotherMessageAtAnAcknowledgedOffsetFails() {
            Script s = new Script();
            s.send(1, "a", 0, 0, 10);
            s.sendInfo(2, "b", 5);
            s.poll(3, 0, 20, 30, "0:b");
            assertThat(s.check(StreamChecks.oneMessagePerOffset())).hasSize(1);
        }
    }

    @Nested
    class NoSkips {
        @Test
        void aPollWithAHoleWhereAnotherPollFoundAMessageSkipped() {
            Script s = new Script();
            s.sendInfo(1, "a", 0);
            s.sendInfo(1, "b", 1);
            s.sendInfo(1, "c", 2);
            Entry<StreamInput, StreamOutput> full = s.poll(2, 0, 10, 20, "0:a", "1:b", "2:c");
            Entry<StreamInput, StreamOutput> holed = s.poll(3, 0, 30, 40, "0:a", "2:c");
            List<Violation> found = s.check(StreamChecks.noSkips());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .isEqualTo("#4 (client 3) polled s from offset 0 and got offsets 0, 2, without offset 1 (\"b\", "
                            + "read by #3 (client 2))");
            assertThat(found.get(0).entries()).containsExactly(holed.id(), full.id());
        }

        /** A log that shows offset 7 has shown every offset before it, so timing does not matter. */
        @Test
        void aPollThatStartsPastAnAcknowledgedOffsetSkippedItEvenIfItRanFirst() {
            Script s = new Script();
            s.poll(2, 3, 0, 10, "7:x");
            s.send(1, "y", 5, 0, 30);
            assertThat(s.check(StreamChecks.noSkips()))
                    .extracting(Violation::text)
                    .containsExactly("#0 (client 2) polled s from offset 3 and got offsets 7, without offset 5 "
                            + "(\"y\", acknowledged to #1 (client 1))");
        }

        @Test
        void gapsWhereNoOffsetIsKnownAreNoSkips() {
            Script s = new Script();
            s.send(1, "a", 0, 0, 10);
            s.send(1, "b", 5, 20, 30);
            s.send(1, "c", 9, 40, 50);
            s.poll(2, 0, 60, 70, "0:a", "5:b", "9:c");
            s.poll(2, 6, 60, 70, "9:c");
            s.poll(2, 10, 60, 70);
            assertThat(s.check(StreamChecks.noSkips())).isEmpty();
        }
    }

    @Nested
    class MonotonicOffsets {
        @Test
        void aSendCalledAfterAnotherReturnedGetsAHigherOffset() {
            Script s = new Script();
            Entry<StreamInput, StreamOutput> first = s.send(1, "a", 5, 0, 10);
            Entry<StreamInput, StreamOutput> second = s.send(2, "b", 3, 20, 30);
            List<Violation> found = s.check(StreamChecks.monotonicOffsets());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .isEqualTo("#0 (client 1) got offset 5 of s and returned before #1 (client 2) was called, "
                            + "which got offset 3");
            assertThat(found.get(0).entries()).containsExactly(first.id(), second.id());
        }

        @Test
        void concurrentSendsMayGetOffsetsInEitherOrder() {
            Script s = new Script();
            s.send(1, "a", 5, 0, 30);
            s.send(2, "b", 3, 10, 20);
            assertThat(s.check(StreamChecks.monotonicOffsets())).isEmpty();
        }

        @Test
        void aPollReturnsIncreasingOffsetsFromTheOneAsked() {
            Script s = new Script();
            s.poll(1, 5, 0, 10, "4:a");
            s.poll(1, 0, 0, 10, "6:b", "5:c");
            assertThat(s.check(StreamChecks.monotonicOffsets()))
                    .extracting(Violation::text)
                    .containsExactly(
                            "#0 (client 1) polled s from offset 5 and got offset 4, before the offset it asked for "
                                    + "(offsets 4)",
                            "#1 (client 1) polled s from offset 0 and got offset 5 after offset 6 (offsets 6, 5)");
        }
    }

    @Nested
    class CommittedOffsetsMonotonic {
        @Test
        void aReadAfterACommitGetsAtLeastThatOffset() {
            Script s = new Script();
            Entry<StreamInput, StreamOutput> commit = s.commit(1, 7, 0, 10);
            Entry<StreamInput, StreamOutput> read = s.committed(2, 5L, 20, 30);
            List<Violation> found = s.check(StreamChecks.committedOffsetsMonotonic());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).text())
                    .isEqualTo("s group g: #1 (client 2) read offset 5, though #0 (client 1) had committed 7 before "
                            + "it was called");
            assertThat(found.get(0).entries()).containsExactly(commit.id(), read.id());
        }

        @Test
        void noCommittedOffsetAfterOneWasReadFails() {
            Script s = new Script();
            s.committed(1, 9L, 0, 10);
            s.committed(2, null, 20, 30);
            assertThat(s.check(StreamChecks.committedOffsetsMonotonic()))
                    .extracting(Violation::text)
                    .containsExactly("s group g: #1 (client 2) read no committed offset, though #0 (client 1) had "
                            + "read 9 before it was called");
        }

        @Test
        void aReadConcurrentWithACommitMaySeeEitherAndALowerCommitChangesNothing() {
            Script s = new Script();
            s.commit(1, 7, 0, 30);
            s.committed(2, null, 10, 20);
            s.commit(1, 3, 40, 50); // stored as the max of old and new
            s.committed(2, 7L, 60, 70);
            assertThat(s.check(StreamChecks.committedOffsetsMonotonic())).isEmpty();
        }

        @Test
        void groupsAreIndependent() {
            Script s = new Script();
            s.commit(1, 7, 0, 10);
            s.add(
                    2,
                    new StreamInput.ReadCommitted("s", "other"),
                    new StreamOutput.Committed(null),
                    Completion.OK,
                    20,
                    30);
            assertThat(s.check(StreamChecks.committedOffsetsMonotonic())).isEmpty();
        }
    }
}
