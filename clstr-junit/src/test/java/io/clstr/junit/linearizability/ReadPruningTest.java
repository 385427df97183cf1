package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The search abandons a configuration where the next read cannot be reached by the operations that
 * may still come before it, all of which only extend the state ({@link Model#extendsOnly},
 * {@link Model#mayReach}: appends and gets of the kv model). The verdict stays that of the search
 * without it and of an exhaustive search; on concurrent appends it takes far fewer steps.
 */
class ReadPruningTest {

    private static final long MINUTE = 60_000_000_000L;

    /** A search run to its end, and how it ended. */
    private record Ran(Search.End end, long steps) {}

    private static Ran search(Model<Object, KvInput, Object> model, List<Operation<KvInput, Object>> h, boolean prune) {
        Search<Object, KvInput, Object> s = new Search<>(model, h, Search.NO_MEMO_LIMIT, prune);
        Search.End end = s.run(System.nanoTime() + MINUTE, new AtomicBoolean());
        return new Ran(end, s.steps());
    }

    /**
     * WIDE appends all at once, then a get returning them in reverse call order: only the right
     * order gets past the read, and each wrong piece is seen as soon as it is appended.
     */
    @Test
    void appendsThatCannotLeadToTheReadAreAbandoned() {
        int wide = 8;
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < wide; i++) {
            h.add(Operation.completed(i, KvInput.append("k", "x" + i + " "), Boolean.TRUE, i, 100));
            got.insert(0, "x" + i + " ");
        }
        h.add(Operation.completed(wide, KvInput.get("k"), got.toString(), 200, 201));
        Ran pruned = search(Models.kv(), h, true);
        Ran full = search(Models.kv(), h, false);
        assertThat(pruned.end).isEqualTo(Search.End.LINEARIZABLE);
        assertThat(full.end).isEqualTo(Search.End.LINEARIZABLE);
        assertThat(pruned.steps()).isLessThan(500);
        assertThat(pruned.steps() * 100)
                .as("%s steps against %s", pruned.steps(), full.steps())
                .isLessThan(full.steps());
    }

    /** A put that may come before the read can make any value: no pruning past it. */
    @Test
    void aPutBeforeTheReadStopsThePruning() {
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        h.add(Operation.completed(0, KvInput.append("k", "a"), Boolean.TRUE, 0, 10));
        h.add(Operation.completed(1, KvInput.put("k", "b"), Boolean.TRUE, 1, 10));
        h.add(Operation.completed(2, KvInput.get("k"), "b", 20, 21));
        assertThat(search(Models.kv(), h, true).end).isEqualTo(Search.End.LINEARIZABLE);
        h.set(1, Operation.open(1, KvInput.put("k", "b"), 1));
        assertThat(search(Models.kv(), h, true).end).isEqualTo(Search.End.LINEARIZABLE);
    }

    @Test
    void randomAppendHistoriesGetTheExhaustiveVerdict() {
        Random random = new Random(17);
        int[] seen = new int[2];
        Model<Object, KvInput, Object> parts = Models.unpartitioned(Models.kv());
        for (int round = 0; round < 3_000; round++) {
            List<Operation<KvInput, Object>> h = randomHistory(random, 2 + random.nextInt(7), 1 + random.nextInt(2));
            boolean expected = SearchReductionsTest.exhaustive(Models.kv(), h, new boolean[h.size()], KvState.EMPTY);
            for (Model<Object, KvInput, Object> model : List.of(Models.kv(), parts)) {
                for (boolean prune : new boolean[] {true, false}) {
                    assertThat(search(model, h, prune).end)
                            .as("history %s, pruning %s", h, prune)
                            .isEqualTo(expected ? Search.End.LINEARIZABLE : Search.End.NOT_LINEARIZABLE);
                }
            }
            seen[expected ? 1 : 0]++;
        }
        assertThat(seen[0]).as("not linearizable").isGreaterThan(300);
        assertThat(seen[1]).as("linearizable").isGreaterThan(300);
    }

    @Test
    void largerRandomAppendHistoriesGetTheVerdictWithoutPruning() {
        Random random = new Random(18);
        int[] seen = new int[2];
        for (int round = 0; round < 1_000; round++) {
            List<Operation<KvInput, Object>> h = randomHistory(random, 10 + random.nextInt(25), 1 + random.nextInt(3));
            Search.End expected = search(Models.kv(), h, false).end;
            assertThat(expected).isIn(Search.End.LINEARIZABLE, Search.End.NOT_LINEARIZABLE);
            assertThat(search(Models.kv(), h, true).end).as("history %s", h).isEqualTo(expected);
            assertThat(search(Models.unpartitioned(Models.kv()), h, true).end)
                    .as("history %s", h)
                    .isEqualTo(expected);
            seen[expected == Search.End.LINEARIZABLE ? 1 : 0]++;
        }
        assertThat(seen[0]).as("not linearizable").isGreaterThan(50);
        assertThat(seen[1]).as("linearizable").isGreaterThan(300);
    }

    /**
     * Up to {@code size} operations on {@code keys} keys, mostly appends (of short pieces that may
     * repeat) and gets, a few puts, deletes and open appends; outputs follow from a point within each
     * operation's interval, then one in three histories gets one get's output changed.
     */
    private static List<Operation<KvInput, Object>> randomHistory(Random random, int size, int keys) {
        record Planned(int id, KvInput in, long call, long ret, double at, boolean open) {}
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long call = random.nextInt(2 * size);
            long ret = call + 1 + random.nextInt(10);
            String key = "k" + random.nextInt(keys);
            String piece = String.valueOf((char) ('a' + random.nextInt(3)));
            int kind = random.nextInt(10);
            KvInput in = kind < 4
                    ? KvInput.append(key, piece)
                    : kind < 8 ? KvInput.get(key) : kind == 8 ? KvInput.put(key, piece) : KvInput.delete(key);
            boolean open = in.kind() != KvInput.Kind.GET && random.nextInt(5) == 0;
            plan.add(new Planned(i, in, call, ret, call + random.nextDouble() * (ret - call), open));
        }
        List<Planned> byPoint = new ArrayList<>(plan);
        byPoint.sort(Comparator.comparingDouble(Planned::at));
        KvState state = KvState.EMPTY;
        Object[] outputs = new Object[size];
        for (Planned p : byPoint) {
            if (p.open() && random.nextBoolean()) {
                continue; // an open write that never took effect
            }
            outputs[p.id()] = p.in().kind() == KvInput.Kind.GET ? state.get(p.in().key()) : Boolean.TRUE;
            state = (KvState) Models.kv().step(state, p.in(), outputs[p.id()]);
        }
        int changed = random.nextInt(3) == 0 ? random.nextInt(size) : -1;
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (Planned p : plan) {
            if (p.open()) {
                h.add(Operation.open(p.id(), p.in(), p.call()));
                continue;
            }
            Object out = outputs[p.id()];
            if (p.id() == changed && p.in().kind() == KvInput.Kind.GET) {
                String s = (String) out;
                out = s.isEmpty() || random.nextBoolean() ? s + "c" : s.substring(1);
            }
            h.add(Operation.completed(p.id(), p.in(), out, p.call(), p.ret()));
        }
        return h;
    }
}
