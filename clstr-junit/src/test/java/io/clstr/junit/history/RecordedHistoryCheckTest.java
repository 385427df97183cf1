package io.clstr.junit.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.linearizability.Checker;
import io.clstr.junit.linearizability.KvInput;
import io.clstr.junit.linearizability.Models;
import io.clstr.junit.linearizability.Result;
import io.clstr.junit.linearizability.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordedHistoryCheckTest {

    private final KvFakeCluster cluster = new KvFakeCluster(3);
    private final History<KvInput, Object> history = new History<>();
    private final KvRecorder client = new KvRecorder(cluster, history);

    @AfterEach
    void close() {
        cluster.close();
    }

    static Result<KvInput, Object> check(History<KvInput, Object> history) {
        return Checker.check(Models.kv(), history.operations(), Duration.ofSeconds(10));
    }

    @Test
    void concurrentClientsOfOneStoreAreLinearizable() {
        cluster.node(3).redirectTo(cluster.node(1));
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 1; c <= 4; c++) {
            int id = c;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 15; i++) {
                    String key = "k" + (i % 2);
                    switch (i % 3) {
                        case 0 -> client.put(id, cluster.node(1 + i % 3), key, id + "-" + i);
                        case 1 -> client.get(id, cluster.node(1 + i % 3), key);
                        default -> client.delete(id, cluster.node(1 + i % 3), key);
                    }
                }
            }));
        }
        clients.forEach(CompletableFuture::join);

        assertThat(history.entries()).hasSize(60).allMatch(e -> e.completion() == Completion.OK);
        assertThat(check(history).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aStaleReadIsNotLinearizable() {
        client.put(1, cluster.node(1), "x", "1");
        cluster.node(2).data().put("x", "0");
        History.Handle stale = history.invoke(2, KvInput.get("x"));
        history.ok(stale, "0");

        Result<KvInput, Object> result = check(history);
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.failingPart()).extracting(op -> op.input()).contains(KvInput.get("x"));
    }

    @Test
    void anInfoWriteMayTakeEffectLater() {
        cluster.node(1).mode(KvFake.Mode.FAIL_WRITES);
        client.put(1, cluster.node(1), "y", "late");
        cluster.node(1).mode(KvFake.Mode.NORMAL);
        client.get(2, cluster.node(1), "y");

        assertThat(history.entries().get(1).output()).isEqualTo("late");
        assertThat(check(history).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aFailedWriteThatIsReadIsNotLinearizable() {
        History.Handle write = history.invoke(1, KvInput.put("z", "ghost"));
        history.fail(write);
        history.ok(history.invoke(2, KvInput.get("z")), "ghost");

        assertThat(check(history).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }
}
