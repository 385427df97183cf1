package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The checker's limits and threads: a memo table that would outgrow its arrays (or a smaller limit
 * given for the test) ends the check without a verdict instead of failing; partitions checked on
 * several threads give the verdict and the failing partition one thread gives.
 */
class CheckerLimitsTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    /**
     * {@code n} puts to {@code key} all concurrent (called from {@code t}), then a get nothing
     * explains: every order of every subset of the puts is tried ({@code n * 2^(n-1)} configurations).
     */
    private static List<Operation<KvInput, Object>> putsThenWrongGet(String key, int n, long t) {
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            h.add(Operation.completed(i, KvInput.put(key, "p" + i), Boolean.TRUE, t + i, t + 100 + i));
        }
        h.add(Operation.completed(n, KvInput.get(key), "none of them", t + 200, t + 201));
        return h;
    }

    private static <I, O> Search.End run(Model<Object, I, O> model, List<Operation<I, O>> h, int memoLimit) {
        return new Search<>(model, h, memoLimit, true).run(System.nanoTime() + LIMIT.toNanos(), new AtomicBoolean());
    }

    @Test
    void memoTableHoldsNoMoreThanItsArraysCan() {
        // 27 words a set (about 1,700 operations): size * width overflowed an int past 79.5 million entries
        for (int width : new int[] {1, 2, 27, 28, 1_000, 1 << 20, Integer.MAX_VALUE / 2}) {
            int max = Search.MemoTable.maxEntries(width);
            assertThat(max).as("width %d", width).isPositive().isLessThanOrEqualTo(1 << 29);
            assertThat((long) max * width).as("width %d", width).isLessThanOrEqualTo(Integer.MAX_VALUE - 8);
        }
    }

    @Test
    void fullMemoEndsTheSearchWithoutAVerdict() {
        List<Operation<KvInput, Object>> h = putsThenWrongGet("k", 6, 0);
        assertThat(run(Models.kv(), h, Search.NO_MEMO_LIMIT)).isEqualTo(Search.End.NOT_LINEARIZABLE);
        assertThat(run(Models.kv(), h, 100)).isEqualTo(Search.End.MEMO_FULL);
        assertThat(run(Models.kv(), h, 0)).isEqualTo(Search.End.MEMO_FULL);
    }

    @Test
    void fullMemoOfAPartEndsTheSearchWithoutAVerdict() {
        List<Operation<KvInput, Object>> h = new ArrayList<>(putsThenWrongGet("a", 5, 0));
        h.addAll(putsThenWrongGet("b", 5, 1));
        Model<Object, KvInput, Object> model = Models.unpartitioned(Models.kv());
        assertThat(run(model, h, Search.NO_MEMO_LIMIT)).isEqualTo(Search.End.NOT_LINEARIZABLE);
        assertThat(run(model, h, 5)).isEqualTo(Search.End.MEMO_FULL);
    }

    @Test
    void checkerReportsAFullMemoAsUnknown() {
        List<Operation<KvInput, Object>> h = putsThenWrongGet("k", 6, 0);
        Result<KvInput, Object> full = Checker.check(Models.kv(), h, LIMIT, 100, 1, 0);
        assertThat(full.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(full.report(Models.kv())).contains("memo limit reached");
        assertThat(full.undecided()).isEqualTo("memo limit reached");
        assertThat(Checker.check(Models.kv(), h, LIMIT, Search.NO_MEMO_LIMIT, 1, 0)
                        .verdict())
                .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    /**
     * Key "slow": 9 concurrent puts and a wrong get (thousands of steps to refute); keys "fast"
     * and "later": longer, each refuted at once by a stale read. The partitions go smallest first, so
     * "slow" is the first failing one, whichever thread finishes first.
     */
    @Test
    void partitionsOnSeveralThreadsReportTheFirstFailingOne() {
        List<Operation<KvInput, Object>> h = new ArrayList<>(putsThenWrongGet("slow", 9, 0));
        for (String key : new String[] {"fast", "later"}) {
            for (int i = 0; i < 12; i++) {
                h.add(Operation.completed(0, KvInput.put(key, "v" + i), Boolean.TRUE, 2 * i, 2 * i + 1));
            }
            h.add(Operation.completed(1, KvInput.get(key), "v0", 100, 101));
        }
        List<Operation<KvInput, Object>> slow =
                h.stream().filter(op -> op.input().key().equals("slow")).toList();
        Result<KvInput, Object> one = Checker.check(Models.kv(), h, LIMIT, Search.NO_MEMO_LIMIT, 1, 0);
        assertThat(one.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(slow).containsAll(one.failingPart());
        for (int round = 0; round < 20; round++) {
            Result<KvInput, Object> two = Checker.check(Models.kv(), h, LIMIT, Search.NO_MEMO_LIMIT, 2, 0);
            assertThat(two.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
            assertThat(two.failingPart()).isEqualTo(one.failingPart());
            assertThat(two.longestPartialLinearization()).isEqualTo(one.longestPartialLinearization());
        }
    }

    @Test
    void linearizablePartitionsOnSeveralThreadsPass() {
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            String key = "k" + k;
            for (int i = 0; i < 4; i++) {
                h.add(Operation.completed(i, KvInput.append(key, "p" + i), Boolean.TRUE, 10L * i, 10L * i + 5));
            }
            h.add(Operation.completed(9, KvInput.get(key), "p0p1p2p3", 100, 101));
        }
        assertThat(Checker.check(Models.kv(), h, LIMIT, Search.NO_MEMO_LIMIT, 2, 0)
                        .verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    /** The partitioned kv model, calling {@code beforeStep} with each step's input first. */
    private static Model<Object, KvInput, Object> kvWatched(Consumer<KvInput> beforeStep) {
        Model<Object, KvInput, Object> kv = Models.kv();
        return new Model<>() {
            @Override
            public Object init() {
                return kv.init();
            }

            @Override
            public Object step(Object state, KvInput in, Object out) {
                beforeStep.accept(in);
                return kv.step(state, in, out);
            }

            @Override
            public List<List<Operation<KvInput, Object>>> partition(List<Operation<KvInput, Object>> history) {
                return kv.partition(history);
            }
        };
    }

    @Test
    void aShortCheckStaysOnTheCallingThread() {
        Set<Thread> stepping = ConcurrentHashMap.newKeySet();
        Model<Object, KvInput, Object> watched = kvWatched(in -> stepping.add(Thread.currentThread()));
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            h.add(Operation.completed(k, KvInput.put("k" + k, "v"), Boolean.TRUE, 0, 1));
        }
        Result<KvInput, Object> result = Checker.check(watched, h, LIMIT, Search.NO_MEMO_LIMIT, 2, Long.MAX_VALUE);
        assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(stepping).containsExactly(Thread.currentThread());
    }

    @Test
    void aModelFailingOnAnotherThreadFailsTheCheck() {
        Model<Object, KvInput, Object> broken = kvWatched(in -> {
            if (in.key().equals("broken")) {
                throw new IllegalStateException("model bug on " + in);
            }
        });
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            h.add(Operation.completed(0, KvInput.put("fine", "v" + i), Boolean.TRUE, 2 * i, 2 * i + 1));
        }
        h.add(Operation.completed(1, KvInput.put("broken", "x"), Boolean.TRUE, 0, 1));
        assertThatThrownBy(() -> Checker.check(broken, h, LIMIT, Search.NO_MEMO_LIMIT, 2, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model bug");
    }
}
