package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The search's reductions: each keeps the work on a history built against it small (a count of
 * steps, not a time), and together they give the verdict of an exhaustive search on random
 * histories.
 */
class SearchReductionsTest {

    private static final int WIDE = 16;

    private static <I, O> Search<Object, I, O> search(Model<Object, I, O> model, List<Operation<I, O>> h) {
        Search<Object, I, O> s = new Search<>(model, h);
        Search.End end = s.run(System.nanoTime() + 60_000_000_000L, new AtomicBoolean());
        assertThat(end).isIn(Search.End.LINEARIZABLE, Search.End.NOT_LINEARIZABLE);
        return s;
    }

    private static Search.End verdict(
            Model<Object, RegisterInput, Object> model, List<Operation<RegisterInput, Object>> h) {
        return new Search<>(model, h).run(System.nanoTime() + 60_000_000_000L, new AtomicBoolean());
    }

    /** write 1; WIDE overlapping reads of 1; then a read of 2, which nothing explains. */
    @Test
    void concurrentReadsArePlacedWithoutTryingTheirOrders() {
        List<Operation<RegisterInput, Object>> h = new ArrayList<>();
        h.add(Operation.completed(0, RegisterInput.write("1"), Boolean.TRUE, 0, 1));
        for (int i = 0; i < WIDE; i++) {
            h.add(Operation.completed(1 + i, RegisterInput.read(), "1", 2 + i, 100));
        }
        h.add(Operation.completed(0, RegisterInput.read(), "2", 200, 201));
        Search<Object, RegisterInput, Object> s = search(Models.register(), h);
        assertThat(verdict(Models.register(), h)).isEqualTo(Search.End.NOT_LINEARIZABLE);
        assertThat(s.steps()).isLessThan(2_000);
    }

    /**
     * write 1; WIDE open cas, each from a value never written (so, legal anywhere, they change
     * nothing) and none alike; then a read of 2.
     */
    @Test
    void openOperationsThatChangeNothingAreNotPlaced() {
        List<Operation<RegisterInput, Object>> h = new ArrayList<>();
        h.add(Operation.completed(0, RegisterInput.write("1"), Boolean.TRUE, 0, 1));
        for (int i = 0; i < WIDE; i++) {
            h.add(Operation.open(1 + i, RegisterInput.cas("never" + i, "3"), 2 + i));
        }
        h.add(Operation.completed(0, RegisterInput.read(), "2", 200, 201));
        Search<Object, RegisterInput, Object> s = search(Models.register(), h);
        assertThat(verdict(Models.register(), h)).isEqualTo(Search.End.NOT_LINEARIZABLE);
        assertThat(s.steps()).isLessThan(2_000);
    }

    /** WIDE open appends of x to k, then a get of k returning y: alike open operations are placed in call order only. */
    @Test
    void alikeOpenOperationsArePlacedInCallOrder() {
        List<Operation<KvInput, Object>> h = new ArrayList<>();
        for (int i = 0; i < WIDE; i++) {
            h.add(Operation.open(1 + i, KvInput.append("k", "x"), i));
        }
        h.add(Operation.completed(0, KvInput.get("k"), "y", 200, 201));
        Search<Object, KvInput, Object> s = search(Models.kv(), h);
        assertThat(new Search<>(Models.kv(), h).run(System.nanoTime() + 60_000_000_000L, new AtomicBoolean()))
                .isEqualTo(Search.End.NOT_LINEARIZABLE);
        assertThat(s.steps()).isLessThan(2_000);
    }

    @Test
    void randomHistoriesGetTheExhaustiveVerdict() {
        Random random = new Random(16);
        int[] seen = new int[2];
        for (int round = 0; round < 3_000; round++) {
            List<Operation<RegisterInput, Object>> h = randomHistory(random, 2 + random.nextInt(6));
            boolean expected = exhaustive(Models.register(), h, new boolean[h.size()], Models.ABSENT);
            Search.End end = verdict(Models.register(), h);
            assertThat(end)
                    .as("history %s", h)
                    .isEqualTo(expected ? Search.End.LINEARIZABLE : Search.End.NOT_LINEARIZABLE);
            seen[expected ? 1 : 0]++;
        }
        assertThat(seen[0]).as("not linearizable").isGreaterThan(300);
        assertThat(seen[1]).as("linearizable").isGreaterThan(300);
    }

    /** Up to {@code size} operations of a few clients on values 1-2: reads, writes, cas, some open. */
    private static List<Operation<RegisterInput, Object>> randomHistory(Random random, int size) {
        List<Operation<RegisterInput, Object>> h = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long call = random.nextInt(10);
            long ret = call + 1 + random.nextInt(6);
            String v = String.valueOf(1 + random.nextInt(2));
            RegisterInput in =
                    switch (random.nextInt(3)) {
                        case 0 -> RegisterInput.read();
                        case 1 -> RegisterInput.write(v);
                        default -> RegisterInput.cas(String.valueOf(1 + random.nextInt(2)), v);
                    };
            if (random.nextInt(4) == 0) {
                h.add(Operation.open(i, in, call));
                continue;
            }
            Object out =
                    switch (in.kind()) {
                        case READ -> random.nextInt(3) == 0 ? Models.ABSENT : String.valueOf(1 + random.nextInt(2));
                        case WRITE -> Boolean.TRUE;
                        case CAS -> random.nextBoolean();
                    };
            h.add(Operation.completed(i, in, out, call, ret));
        }
        return h;
    }

    /** Whether some order of the unplaced operations (open ones optional) explains them all, by trying every one. */
    static <S, I, O> boolean exhaustive(Model<S, I, O> model, List<Operation<I, O>> h, boolean[] placed, S state) {
        boolean allCompletedPlaced = true;
        for (int i = 0; i < h.size(); i++) {
            allCompletedPlaced &= placed[i] || h.get(i).isOpen();
        }
        if (allCompletedPlaced) {
            return true;
        }
        for (int i = 0; i < h.size(); i++) {
            if (placed[i] || !mayGoNext(h, placed, i)) {
                continue;
            }
            S after = model.step(state, h.get(i).input(), h.get(i).output());
            if (after != null) {
                placed[i] = true;
                boolean ok = exhaustive(model, h, placed, after);
                placed[i] = false;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    /** No unplaced operation returned before {@code i} was called. */
    private static <I, O> boolean mayGoNext(List<Operation<I, O>> h, boolean[] placed, int i) {
        for (int j = 0; j < h.size(); j++) {
            if (!placed[j] && j != i && h.get(j).returnNanos() < h.get(i).callNanos()) {
                return false;
            }
        }
        return true;
    }
}
