package io.clstr.junit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.linearizability.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void okOperationsKeepTheirOutputAndTimes() {
        History<String, String> history = new History<>();
        History.Handle h = history.invoke(1, "read");
        history.ok(h, "v");

        Entry<String, String> e = history.entries().get(0);
        assertThat(e.completion()).isEqualTo(Completion.OK);
        assertThat(e.output()).isEqualTo("v");
        assertThat(e.callNanos()).isNotNegative().isLessThan(e.returnNanos());
        assertThat(history.operations())
                .containsExactly(Operation.completed(1, "read", "v", e.callNanos(), e.returnNanos()));
    }

    @Test
    void failedOperationsAreDroppedForTheChecker() {
        History<String, String> history = new History<>();
        history.fail(history.invoke(1, "write"));

        assertThat(history.entries()).extracting(Entry::completion).containsExactly(Completion.FAIL);
        assertThat(history.operations()).isEmpty();
    }

    @Test
    void infoAndPendingOperationsStayOpenToTheEnd() {
        History<String, String> history = new History<>();
        History.Handle info = history.invoke(1, "write a");
        history.invoke(2, "write b");
        history.info(info);

        List<Operation<String, String>> ops = history.operations();
        assertThat(ops).hasSize(2).allMatch(Operation::isOpen);
        assertThat(ops).extracting(Operation::output).containsOnlyNulls();
        assertThat(history.entries())
                .extracting(Entry::completion)
                .containsExactly(Completion.INFO, Completion.PENDING);
        assertThat(history.entries()).allMatch(Entry::isOpen);
    }

    @Test
    void anOperationCompletesOnce() {
        History<String, String> history = new History<>();
        History.Handle h = history.invoke(1, "read");
        history.ok(h, "v");

        assertThatThrownBy(() -> history.info(h))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OK");
        assertThatThrownBy(() -> history.fail(new History.Handle(7))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timesAreStrictlyIncreasingAcrossOperationsAndFaults() {
        History<String, String> history = new History<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            History.Handle h = history.invoke(i % 3, "op" + i);
            history.fault("fault " + i);
            history.ok(h, "r");
            Entry<String, String> e = history.entries().get(i);
            times.add(e.callNanos());
            times.add(history.faults().get(i).nanos());
            times.add(e.returnNanos());
        }
        assertThat(times).isSorted().doesNotHaveDuplicates();
        assertThat(history.elapsedNanos()).isGreaterThan(times.get(times.size() - 1));
    }

    @Test
    void concurrentClientsRecordEveryOperation() throws Exception {
        History<String, Integer> history = new History<>();
        int clients = 8;
        int perClient = 250;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perClient; i++) {
                    History.Handle h = history.invoke(client, "op");
                    switch (i % 3) {
                        case 0 -> history.ok(h, i);
                        case 1 -> history.fail(h);
                        default -> history.info(h);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        List<Entry<String, Integer>> entries = history.entries();
        assertThat(entries).hasSize(clients * perClient).noneMatch(e -> e.completion() == Completion.PENDING);
        Set<Long> calls = new HashSet<>();
        entries.forEach(e -> calls.add(e.callNanos()));
        assertThat(calls).hasSize(entries.size());
        for (int c = 0; c < clients; c++) {
            int client = c;
            List<Entry<String, Integer>> mine =
                    entries.stream().filter(e -> e.clientId() == client).toList();
            assertThat(mine).hasSize(perClient);
            for (int i = 1; i < mine.size(); i++) {
                Entry<String, Integer> before = mine.get(i - 1);
                assertThat(mine.get(i).callNanos())
                        .isGreaterThan(before.isOpen() ? before.callNanos() : before.returnNanos());
            }
        }
        long fails =
                entries.stream().filter(e -> e.completion() == Completion.FAIL).count();
        assertThat(history.operations()).hasSize(entries.size() - (int) fails);
    }
}
