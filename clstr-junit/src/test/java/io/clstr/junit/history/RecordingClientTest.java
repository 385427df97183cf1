package io.clstr.junit.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.linearizability.KvInput;
import io.clstr.junit.linearizability.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingClientTest {

    private final KvFakeCluster cluster = new KvFakeCluster(3);
    private final History<KvInput, Object> history = new History<>();
    private final KvRecorder client = new KvRecorder(cluster, history);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void answeredCallsAreOk() {
        assertThat(client.put(1, cluster.node(1), "a", "1").completion()).isEqualTo(Completion.OK);
        Entry<KvInput, Object> read = client.get(2, cluster.node(1), "a");
        assertThat(read.completion()).isEqualTo(Completion.OK);
        assertThat(read.output()).isEqualTo("1");
        assertThat(client.delete(1, cluster.node(1), "a").completion()).isEqualTo(Completion.OK);
        assertThat(history.entries())
                .extracting(Entry::input)
                .containsExactly(KvInput.put("a", "1"), KvInput.get("a"), KvInput.delete("a"));
    }

    @Test
    void aMissingKeyReadsAsAbsent() {
        Entry<KvInput, Object> read = client.get(1, cluster.node(1), "never");
        assertThat(read.completion()).isEqualTo(Completion.OK);
        assertThat(read.output()).isEqualTo("");
    }

    @Test
    void aRedirectIsFollowedToTheLeader() {
        cluster.node(2).redirectTo(cluster.node(1));
        assertThat(client.put(1, cluster.node(2), "b", "2").completion()).isEqualTo(Completion.OK);
        assertThat(client.get(1, cluster.node(2), "b").output()).isEqualTo("2");
    }

    @Test
    void eachOperationRecordsTheNodeItWasSentToAndTheNodeThatServedIt() {
        cluster.node(2).redirectTo(cluster.node(1));
        Entry<KvInput, Object> redirected = client.put(1, cluster.node(2), "e", "5");
        assertThat(redirected.sentTo()).isEqualTo("n2");
        assertThat(redirected.servedBy()).isEqualTo("n1");
        Entry<KvInput, Object> direct = client.get(1, cluster.node(3), "e");
        assertThat(direct.sentTo()).isEqualTo("n3");
        assertThat(direct.servedBy()).isEqualTo("n3");
        assertThat(Timeline.served(redirected)).isEqualTo("n2 → n1");
        assertThat(Timeline.served(direct)).isEqualTo("n3");
    }

    @Test
    void aNodeThatDoesNotAnswerServedNothing() {
        cluster.node(1).mode(KvFake.Mode.UNAVAILABLE);
        cluster.node(1).close();
        Entry<KvInput, Object> write = client.put(1, cluster.node(1), "f", "6");
        assertThat(write.sentTo()).isEqualTo("n1");
        assertThat(write.servedBy()).isNull();
        assertThat(Timeline.served(write)).isEqualTo("n1 (no answer)");
    }

    @Test
    void a503FailsAReadAndLeavesAWriteOpen() {
        cluster.node(1).mode(KvFake.Mode.UNAVAILABLE);
        assertThat(client.put(1, cluster.node(1), "c", "3").completion()).isEqualTo(Completion.INFO);
        assertThat(client.delete(1, cluster.node(1), "c").completion()).isEqualTo(Completion.INFO);
        assertThat(client.get(1, cluster.node(1), "c").completion()).isEqualTo(Completion.FAIL);
        assertThat(history.operations()).hasSize(2).allMatch(Operation::isOpen);
    }

    @Test
    void aServerErrorOnAWriteIsInfoAndOnAReadFail() {
        cluster.node(1).mode(KvFake.Mode.FAIL_WRITES);
        Entry<KvInput, Object> write = client.put(1, cluster.node(1), "d", "4");
        assertThat(write.completion()).isEqualTo(Completion.INFO);
        assertThat(write.returnNanos()).isEqualTo(Operation.OPEN);
        assertThat(client.get(2, cluster.node(1), "d").output()).isEqualTo("4");
        assertThat(history.operations()).hasSize(2);
        assertThat(history.operations().get(1).output()).isEqualTo("4");
        assertThat(history.operations().get(0).isOpen()).isTrue();
        cluster.node(2).mode(KvFake.Mode.ERROR);
        assertThat(client.get(2, cluster.node(2), "d").completion()).isEqualTo(Completion.FAIL);
        assertThat(client.delete(2, cluster.node(2), "d").completion()).isEqualTo(Completion.INFO);
    }

    @Test
    void aTimeoutIsInfoOnAWriteAndFailOnARead() {
        cluster.node(3).mode(KvFake.Mode.HANG);
        Entry<KvInput, Object> write = client.put(1, cluster.node(3), "e", "5");
        Entry<KvInput, Object> read = client.get(2, cluster.node(3), "e");
        assertThat(write.completion()).isEqualTo(Completion.INFO);
        assertThat(read.completion()).isEqualTo(Completion.FAIL);
        assertThat(read.returnNanos() - read.callNanos())
                .isGreaterThanOrEqualTo(cluster.requestTimeout().toNanos());
    }

    @Test
    void aWriteThatReachedNoServerFails() {
        KvFake gone = cluster.node(3);
        gone.close();
        assertThat(client.delete(1, gone, "f").completion())
                .as("connection refused")
                .isEqualTo(Completion.FAIL);
        assertThat(client.get(1, gone, "f").completion()).isEqualTo(Completion.FAIL);
        cluster.node(2).redirectTo(gone);
        assertThat(client.put(1, cluster.node(2), "f", "6").completion())
                .as("a 307 to a node that is down")
                .isEqualTo(Completion.FAIL);
        assertThat(history.operations()).isEmpty();
    }
}
