package io.clstr.junit.linearizability;

import static io.clstr.junit.linearizability.CasOutput.absent;
import static io.clstr.junit.linearizability.CasOutput.applied;
import static io.clstr.junit.linearizability.CasOutput.found;
import static io.clstr.junit.linearizability.CasOutput.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made histories of revisioned keys with compare-and-swap, with known verdicts. */
class CasRegisterTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private static Operation<CasInput, CasOutput> op(int client, CasInput in, CasOutput out, long call, long ret) {
        return Operation.completed(client, in, out, call, ret);
    }

    private static Operation<CasInput, CasOutput> open(int client, CasInput in, long call) {
        return Operation.open(client, in, call);
    }

    private static Verdict verdict(List<Operation<CasInput, CasOutput>> history) {
        return Checker.check(Models.casRegister(), history, LIMIT).verdict();
    }

    @Test
    void sequentialWritesReadsAndSwapsAreLinearizable() {
        assertThat(verdict(List.of(
                        op(0, CasInput.read("k"), absent(), 0, 1),
                        op(0, CasInput.create("k", "a"), applied(3), 2, 3),
                        op(1, CasInput.read("k"), found("a", 3), 4, 5),
                        op(1, CasInput.swap("k", 3, "b"), applied(7), 6, 7),
                        op(0, CasInput.swap("k", 3, "c"), rejected(), 8, 9),
                        op(0, CasInput.read("k"), found("b", 7), 10, 11),
                        op(1, CasInput.delete("k"), applied(12), 12, 13),
                        op(0, CasInput.read("k"), absent(), 14, 15))))
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aRevisionThatGoesBackIsNotLinearizable() {
        assertThat(verdict(List.of(
                        op(0, CasInput.write("k", "a"), applied(5), 0, 1),
                        op(0, CasInput.write("k", "b"), applied(4), 2, 3))))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aStaleSwapThatSucceedsIsNotLinearizable() {
        assertThat(verdict(List.of(
                        op(0, CasInput.write("k", "a"), applied(1), 0, 1),
                        op(1, CasInput.write("k", "b"), applied(2), 2, 3),
                        op(0, CasInput.swap("k", 1, "c"), applied(3), 4, 5))))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void twoCreatesCannotBothWin() {
        assertThat(verdict(List.of(
                        op(0, CasInput.create("k", "a"), applied(1), 0, 10),
                        op(1, CasInput.create("k", "b"), applied(2), 0, 10))))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(List.of(
                        op(0, CasInput.create("k", "a"), applied(1), 0, 10),
                        op(1, CasInput.create("k", "b"), rejected(), 0, 10))))
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aReadMustSeeTheRevisionOfTheLastWrite() {
        assertThat(verdict(List.of(
                        op(0, CasInput.write("k", "a"), applied(4), 0, 1),
                        op(1, CasInput.read("k"), found("a", 3), 2, 3))))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aLostWriteMayHaveHappenedAndAReadPinsItsRevision() {
        // the write's answer was lost: its revision is unknown until a read shows it
        assertThat(verdict(List.of(
                        op(0, CasInput.write("k", "a"), applied(1), 0, 1),
                        open(1, CasInput.write("k", "b"), 2),
                        op(2, CasInput.read("k"), found("b", 9), 4, 5),
                        op(2, CasInput.swap("k", 9, "c"), applied(10), 6, 7))))
                .isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(List.of(
                        op(0, CasInput.write("k", "a"), applied(1), 0, 1),
                        open(1, CasInput.write("k", "b"), 2),
                        op(2, CasInput.read("k"), found("b", 9), 4, 5),
                        op(2, CasInput.swap("k", 8, "c"), applied(10), 6, 7))))
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aSwapOnAnUnknownRevisionMayHaveMatchedOrNot() {
        List<Operation<CasInput, CasOutput>> matched = List.of(
                open(0, CasInput.write("k", "a"), 0),
                op(1, CasInput.swap("k", 5, "b"), applied(6), 2, 3),
                op(1, CasInput.read("k"), found("b", 6), 4, 5));
        assertThat(verdict(matched)).isEqualTo(Verdict.LINEARIZABLE);
        List<Operation<CasInput, CasOutput>> missed = List.of(
                open(0, CasInput.write("k", "a"), 0),
                op(1, CasInput.swap("k", 5, "b"), rejected(), 2, 3),
                op(1, CasInput.read("k"), found("a", 2), 4, 5));
        assertThat(verdict(missed)).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void keysAreCheckedApart() {
        List<Operation<CasInput, CasOutput>> history = List.of(
                op(0, CasInput.write("a", "1"), applied(1), 0, 1),
                op(1, CasInput.write("b", "1"), applied(2), 2, 3),
                op(0, CasInput.read("a"), found("1", 1), 4, 5),
                op(1, CasInput.read("b"), found("1", 2), 6, 7));
        assertThat(Models.casRegister().partition(history)).hasSize(2);
        assertThat(verdict(history)).isEqualTo(Verdict.LINEARIZABLE);
    }
}
