package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmupTest {

    @Test
    void runsEveryStepOnceAndLeavesNoThreadOfItsOwnRunning() {
        Warmup.start();
        Warmup.start(); // once per JVM: a second start is no second warm-up

        Warmup.await();

        assertThat(Warmup.failure()).as("what ended the warm-up early").isNull();
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(Thread::isAlive)
                .extracting(Thread::getName)
                .noneMatch(name -> name.equals("clstr-warmup") || name.startsWith("clstr-toxiproxy"));
    }

    @Test
    void awaitReturnsAtOnceWhenCalledFromTheWarmupItselfOrAfterItsEnd() {
        Warmup.start();
        Warmup.await();
        Warmup.await();
        assertThat(Warmup.failure()).isNull();
    }

    @Test
    void aSessionStartsItOnlyInAChallengeFolder(@TempDir Path folder) throws IOException {
        assertThat(Warmup.inChallengeFolder(folder)).isFalse();
        Files.writeString(folder.resolve("clstr.yaml"), "challenge: kv-store\nstage: http-api\n");
        assertThat(Warmup.inChallengeFolder(folder)).isTrue();
    }
}
