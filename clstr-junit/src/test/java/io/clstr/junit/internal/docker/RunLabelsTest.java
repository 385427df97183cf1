package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunLabelsTest {

    @Test
    void labelsNameTheRunAndItsOwner() {
        RunLabels labels = RunLabels.create();
        assertThat(labels.runId()).matches("[0-9a-f]{12}");
        assertThat(labels.labels())
                .containsEntry("io.clstr", "true")
                .containsEntry("io.clstr.run", labels.runId())
                .containsEntry("io.clstr.owner", labels.owner());
        assertThat(labels.name("n1")).isEqualTo("clstr-" + labels.runId() + "-n1");
        assertThat(RunLabels.create().runId()).isNotEqualTo(labels.runId());
    }

    @Test
    void anOwnerIsGoneOnlyWhenItsProcessOnThisHostEnded() throws Exception {
        String self = RunLabels.create().owner();
        assertThat(RunLabels.ownerIsGone(self)).isFalse();

        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String[] parts = self.split("/");
        assertThat(RunLabels.ownerIsGone(parts[0] + "/" + ended.pid() + "/" + parts[2]))
                .isTrue();
        assertThat(RunLabels.ownerIsGone(parts[0] + "/" + parts[1] + "/" + (Long.parseLong(parts[2]) - 60_000)))
                .as("the pid now belongs to a younger process")
                .isTrue();
        assertThat(RunLabels.ownerIsGone("another-host/" + ended.pid() + "/" + parts[2]))
                .isFalse();
        assertThat(RunLabels.ownerIsGone("garbage")).isFalse();
        assertThat(RunLabels.ownerIsGone(null)).isFalse();
    }
}
