package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made register and key-value histories with known verdicts. */
class CheckerTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private static <I> Operation<I, Object> op(int client, I in, Object out, long call, long ret) {
        return Operation.completed(client, in, out, call, ret);
    }

    @Test
    void sequentialRegisterHistoryIsLinearizable() {
        List<Operation<RegisterInput, Object>> h = List.of(
                op(0, RegisterInput.read(), Models.ABSENT, 0, 1),
                op(0, RegisterInput.write("1"), true, 2, 3),
                op(1, RegisterInput.read(), "1", 4, 5),
                op(1, RegisterInput.cas("1", "2"), true, 6, 7),
                op(0, RegisterInput.cas("1", "3"), false, 8, 9),
                op(0, RegisterInput.read(), "2", 10, 11));
        assertThat(Checker.check(Models.register(), h, LIMIT).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void concurrentReadMaySeeEitherValue() {
        List<Operation<RegisterInput, Object>> h = List.of(
                op(0, RegisterInput.write("1"), true, 0, 10),
                op(1, RegisterInput.read(), "1", 1, 2),
                op(2, RegisterInput.read(), Models.ABSENT, 3, 4));
        assertThat(Checker.check(Models.register(), h, LIMIT).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        List<Operation<RegisterInput, Object>> ok = List.of(
                op(0, RegisterInput.write("1"), true, 0, 10),
                op(2, RegisterInput.read(), Models.ABSENT, 1, 2),
                op(1, RegisterInput.read(), "1", 3, 4));
        assertThat(Checker.check(Models.register(), ok, LIMIT).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void staleReadAfterWriteReturnedIsNotLinearizable() {
        List<Operation<RegisterInput, Object>> h =
                List.of(op(0, RegisterInput.write("1"), true, 0, 1), op(1, RegisterInput.read(), Models.ABSENT, 2, 3));
        assertThat(Checker.check(Models.register(), h, LIMIT).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void failedCasMeansTheValueDidNotMatch() {
        List<Operation<RegisterInput, Object>> h =
                List.of(op(0, RegisterInput.write("1"), true, 0, 1), op(1, RegisterInput.cas("1", "2"), false, 2, 3));
        assertThat(Checker.check(Models.register(), h, LIMIT).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void openWriteMayTakeEffectLateOrNever() {
        List<Operation<RegisterInput, Object>> late = List.of(
                Operation.open(0, RegisterInput.write("1"), 0),
                op(1, RegisterInput.read(), Models.ABSENT, 1, 2),
                op(1, RegisterInput.read(), "1", 10, 11));
        assertThat(Checker.check(Models.register(), late, LIMIT).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        List<Operation<RegisterInput, Object>> never = List.of(
                Operation.open(0, RegisterInput.write("1"), 0), op(1, RegisterInput.read(), Models.ABSENT, 10, 11));
        assertThat(Checker.check(Models.register(), never, LIMIT).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        List<Operation<RegisterInput, Object>> flipFlop = List.of(
                Operation.open(0, RegisterInput.write("1"), 0),
                op(1, RegisterInput.read(), "1", 1, 2),
                op(1, RegisterInput.read(), Models.ABSENT, 3, 4));
        assertThat(Checker.check(Models.register(), flipFlop, LIMIT).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void openCasMayHaveSwapped() {
        List<Operation<RegisterInput, Object>> h = List.of(
                op(0, RegisterInput.write("1"), true, 0, 1),
                Operation.open(1, RegisterInput.cas("1", "2"), 2),
                op(2, RegisterInput.read(), "2", 5, 6));
        assertThat(Checker.check(Models.register(), h, LIMIT).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void kvOperationsFollowTheMapSemantics() {
        List<Operation<KvInput, Object>> h = List.of(
                op(0, KvInput.get("a"), "", 0, 1),
                op(0, KvInput.put("a", "x"), true, 2, 3),
                op(1, KvInput.append("a", "y"), true, 4, 5),
                op(1, KvInput.get("a"), "xy", 6, 7),
                op(0, KvInput.cas("a", "xy", "z"), true, 8, 9),
                op(0, KvInput.cas("a", "xy", "w"), false, 10, 11),
                op(1, KvInput.delete("a"), true, 12, 13),
                op(1, KvInput.get("a"), "", 14, 15),
                op(2, KvInput.put("b", "1"), true, 0, 15));
        assertThat(Checker.check(Models.kv(), h, LIMIT).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(Checker.check(Models.unpartitioned(Models.kv()), h, LIMIT).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void violationReportsTheFailingKeyAndAPartialLinearization() {
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            h.add(op(0, KvInput.append("good", "v" + i), true, 10L * i, 10L * i + 1));
        }
        h.add(op(1, KvInput.put("bad", "1"), true, 0, 1));
        h.add(op(1, KvInput.get("bad"), "1", 2, 3));
        h.add(op(1, KvInput.get("bad"), "", 4, 5));
        Result<KvInput, Object> result = Checker.check(Models.kv(), h, LIMIT);
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.failingPart())
                .hasSize(3)
                .allMatch(o -> o.input().key().equals("bad"));
        assertThat(result.longestPartialLinearization())
                .hasSize(2)
                .extracting(o -> o.input().kind())
                .containsExactly(KvInput.Kind.PUT, KvInput.Kind.GET);
        assertThat(result.report(Models.kv())).contains("NOT_LINEARIZABLE", "get bad", "longest partial linearization");
    }

    @Test
    void failingPartIsTheShortestFailingPrefix() {
        List<Operation<RegisterInput, Object>> h = new ArrayList<>();
        h.add(op(0, RegisterInput.write("1"), true, 0, 1));
        h.add(op(1, RegisterInput.read(), "1", 2, 5));
        h.add(op(2, RegisterInput.read(), Models.ABSENT, 3, 4));
        for (int i = 0; i < 10; i++) {
            h.add(op(0, RegisterInput.write("v" + i), true, 10L + 2 * i, 11L + 2 * i));
        }
        Result<RegisterInput, Object> result = Checker.check(Models.register(), h, LIMIT);
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.failingPart()).hasSize(3);
        assertThat(result.failingPart().get(1).isOpen()).isTrue();
        assertThat(result.longestPartialLinearization()).isNotEmpty();
    }

    @Test
    void openPutsNoReadSawCostNothingAndChangeNoVerdict() {
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            h.add(Operation.open(100 + i, KvInput.put("k", "lost-" + i), 10L * i));
        }
        for (int i = 0; i < 200; i++) {
            h.add(op(0, KvInput.put("k", "v" + i), null, 10L * i + 1, 10L * i + 2));
            h.add(op(1, KvInput.get("k"), "v" + i, 10L * i + 3, 10L * i + 4));
        }
        assertThat(Checker.check(Models.kv(), h, Duration.ofSeconds(5)).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);

        h.add(op(1, KvInput.get("k"), "v0", 10_000, 10_001));
        assertThat(Checker.check(Models.kv(), h, Duration.ofSeconds(5)).verdict())
                .as("a stale read is still caught")
                .isEqualTo(Verdict.NOT_LINEARIZABLE);

        List<Operation<KvInput, Object>> seen = List.of(
                Operation.open(0, KvInput.put("s", "x"), 0),
                op(1, KvInput.get("s"), "x", 5, 6),
                op(1, KvInput.get("s"), "", 7, 8));
        assertThat(Checker.check(Models.kv(), seen, LIMIT).verdict())
                .as("an open put a read saw is kept")
                .isEqualTo(Verdict.NOT_LINEARIZABLE);

        List<Operation<KvInput, Object>> swapped = List.of(
                Operation.open(0, KvInput.put("c", "x"), 0),
                op(1, KvInput.cas("c", "x", "y"), true, 5, 6),
                op(1, KvInput.get("c"), "y", 7, 8));
        assertThat(Checker.check(Models.kv(), swapped, LIMIT).verdict())
                .as("a cas may observe an open put")
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void timeLimitGivesUnknownNeverAPass() {
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            h.add(op(i, KvInput.put("k", "v" + i), true, 0, 1000)); // every subset, any one last
        }
        h.add(op(999, KvInput.get("k"), "impossible", 0, 1000));
        Result<KvInput, Object> result = Checker.check(Models.kv(), h, Duration.ofMillis(200));
        assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(result.isLinearizable()).isFalse();
        assertThat(result.report(Models.kv())).contains("UNKNOWN", "nothing proven");
    }

    @Test
    void operationCannotReturnBeforeItsCall() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> op(0, RegisterInput.read(), "1", 5, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
