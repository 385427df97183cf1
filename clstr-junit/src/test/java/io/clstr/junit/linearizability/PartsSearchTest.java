package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The search over a model that declares parts ({@link Model#part}): one search over the model's
 * single state that branches on one part at a time and backjumps over choices on other parts. Its
 * verdicts are those of the same search without parts, of the per-key partitioned check, and of an
 * exhaustive search; on a history built to need it, it takes far fewer steps.
 */
class PartsSearchTest {

    private static final Model<Object, KvInput, Object> WITH_PARTS = Models.unpartitioned(Models.kv());

    /** The unpartitioned kv model without its parts: every operation conflicts with every other. */
    private static final Model<Object, KvInput, Object> WHOLE = new Model<>() {
        @Override
        public Object init() {
            return WITH_PARTS.init();
        }

        @Override
        public Object step(Object state, KvInput input, Object output) {
            return WITH_PARTS.step(state, input, output);
        }

        @Override
        public boolean readOnly(KvInput input, Object output) {
            return WITH_PARTS.readOnly(input, output);
        }
    };

    private static final String[] KEYS = {"a", "b", "c"};

    private static Search<Object, KvInput, Object> search(
            Model<Object, KvInput, Object> model, List<Operation<KvInput, Object>> h) {
        Search<Object, KvInput, Object> s = new Search<>(model, h);
        Search.End end = s.run(System.nanoTime() + 60_000_000_000L, new AtomicBoolean());
        assertThat(end).isIn(Search.End.LINEARIZABLE, Search.End.NOT_LINEARIZABLE);
        return s;
    }

    private static boolean linearizable(Model<Object, KvInput, Object> model, List<Operation<KvInput, Object>> h) {
        return new Search<>(model, h).run(System.nanoTime() + 60_000_000_000L, new AtomicBoolean())
                == Search.End.LINEARIZABLE;
    }

    @Test
    void smallRandomHistoriesGetTheExhaustiveVerdict() {
        Random random = new Random(50);
        int[] seen = new int[2];
        for (int round = 0; round < 4_000; round++) {
            List<Operation<KvInput, Object>> h = randomHistory(random, 2 + random.nextInt(7), 2);
            boolean expected = SearchReductionsTest.exhaustive(WHOLE, h, new boolean[h.size()], WHOLE.init());
            assertThat(linearizable(WITH_PARTS, h)).as("history %s", h).isEqualTo(expected);
            assertThat(linearizable(WHOLE, h)).as("history %s", h).isEqualTo(expected);
            seen[expected ? 1 : 0]++;
        }
        assertThat(seen[0]).as("not linearizable").isGreaterThan(250);
        assertThat(seen[1]).as("linearizable").isGreaterThan(250);
    }

    @Test
    void largerRandomHistoriesGetTheVerdictWithoutParts() {
        Random random = new Random(51);
        int[] seen = new int[2];
        for (int round = 0; round < 1_500; round++) {
            List<Operation<KvInput, Object>> h = randomHistory(random, 10 + random.nextInt(20), 3);
            boolean expected = linearizable(WHOLE, h);
            assertThat(linearizable(WITH_PARTS, h)).as("history %s", h).isEqualTo(expected);
            Verdict partitioned =
                    Checker.check(Models.kv(), h, Duration.ofSeconds(60)).verdict();
            assertThat(partitioned)
                    .as("history %s", h)
                    .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
            seen[expected ? 1 : 0]++;
        }
        assertThat(seen[0]).as("not linearizable").isGreaterThan(150);
        assertThat(seen[1]).as("linearizable").isGreaterThan(150);
    }

    /**
     * Four keys, each with three appends all at once, then a get of each key returning its
     * appends in reverse call order, the last key's with one piece missing: without parts the search
     * interleaves the keys' orders, with parts it settles one key at a time.
     */
    @Test
    void choicesOnOtherKeysAreNotRetried() {
        int keys = 4;
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        int client = 0;
        for (int k = 0; k < keys; k++) {
            for (int i = 0; i < 3; i++) {
                h.add(Operation.completed(client++, KvInput.append("k" + k, "x" + i + " "), true, 0, 10));
            }
        }
        for (int k = 0; k < keys; k++) {
            String got = k == keys - 1 ? "x2 x0 " : "x2 x1 x0 ";
            h.add(Operation.completed(client++, KvInput.get("k" + k), got, 20, 30));
        }
        Search<Object, KvInput, Object> whole = search(WHOLE, h);
        Search<Object, KvInput, Object> parts = search(WITH_PARTS, h);
        assertThat(linearizable(WHOLE, h)).isFalse();
        assertThat(linearizable(WITH_PARTS, h)).isFalse();
        assertThat(parts.steps() * 100)
                .as("%s steps against %s", parts.steps(), whole.steps())
                .isLessThan(whole.steps());
    }

    /**
     * Up to {@code size} operations on {@code keys} keys, each given a point within its interval at
     * which it takes effect; outputs follow from those points, then one in three histories gets one
     * output changed (which may or may not make it non-linearizable). A quarter of the writes are open.
     */
    private static List<Operation<KvInput, Object>> randomHistory(Random random, int size, int keys) {
        record Planned(KvInput in, long call, long ret, double at, boolean open) {}
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long call = random.nextInt(3 * size);
            long ret = call + 1 + random.nextInt(8);
            String key = KEYS[random.nextInt(keys)];
            String v = String.valueOf(random.nextInt(3));
            KvInput in =
                    switch (random.nextInt(5)) {
                        case 0, 1 -> KvInput.get(key);
                        case 2 -> KvInput.append(key, v);
                        case 3 -> KvInput.put(key, v);
                        default ->
                            random.nextBoolean()
                                    ? KvInput.cas(key, random.nextBoolean() ? "" : v, String.valueOf(random.nextInt(3)))
                                    : KvInput.delete(key);
                    };
            boolean open = in.kind() != KvInput.Kind.GET && random.nextInt(4) == 0;
            plan.add(new Planned(in, call, ret, call + random.nextDouble() * (ret - call), open));
        }
        List<Planned> byPoint = new ArrayList<>(plan);
        byPoint.sort(Comparator.comparingDouble(Planned::at));
        Object state = WHOLE.init();
        Map<Planned, Object> outputs = new IdentityHashMap<>();
        for (Planned p : byPoint) {
            if (p.open() && random.nextBoolean()) {
                continue; // an open write that never took effect
            }
            KvState map = (KvState) state;
            Object out =
                    switch (p.in().kind()) {
                        case GET -> map.get(p.in().key());
                        case CAS -> map.holds(p.in().key(), p.in().expected());
                        default -> Boolean.TRUE;
                    };
            outputs.put(p, out);
            state = WHOLE.step(state, p.in(), out);
        }
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        int changed = random.nextInt(3) == 0 ? random.nextInt(size) : -1;
        for (int i = 0; i < size; i++) {
            Planned p = plan.get(i);
            if (p.open()) {
                h.add(Operation.open(i, p.in(), p.call()));
                continue;
            }
            Object out = outputs.get(p);
            if (i == changed) {
                out = switch (p.in().kind()) {
                    case GET -> random.nextBoolean() ? "" : out + String.valueOf(random.nextInt(3));
                    case CAS -> !(Boolean) out;
                    default -> out;
                };
            }
            h.add(Operation.completed(i, p.in(), out, p.call(), p.ret()));
        }
        return h;
    }
}
