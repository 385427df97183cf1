package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aCleanupWaitLooksSoonAtFirstWhateverItsLongestPause() {
        long start = System.nanoTime();
        long due = start + Duration.ofMillis(3).toNanos();

        boolean met = Deadline.in(Duration.ofSeconds(60))
                .untilUninterruptibly(Duration.ofSeconds(20), () -> System.nanoTime() - due >= 0);

        assertThat(met).isTrue();
        // pauses of 1, 2, 4... ms see it within about 8 ms; one pause of the longest would take 20 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aCleanupWaitKeepsGoingThroughAnInterruptAndRestoresIt() {
        AtomicInteger checks = new AtomicInteger();
        Thread.currentThread().interrupt();

        boolean met = Deadline.in(Duration.ofSeconds(60))
                .untilUninterruptibly(Duration.ofMillis(5), () -> checks.incrementAndGet() >= 4);

        assertThat(met).isTrue();
        assertThat(checks).hasValue(4);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aCleanupWaitEndsFalseAtItsDeadlineAfterALastLook() {
        AtomicInteger checks = new AtomicInteger();

        boolean met = Deadline.in(Duration.ofMillis(30))
                .untilUninterruptibly(Duration.ofSeconds(20), () -> checks.incrementAndGet() < 0);

        assertThat(met).isFalse();
        assertThat(checks.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aGracePeriodLooksSoonAtFirstAndEndsAtAnInterrupt() {
        long start = System.nanoTime();
        long due = start + Duration.ofMillis(3).toNanos();
        assertThat(Deadline.in(Duration.ofSeconds(60))
                        .untilInterrupted(Duration.ofSeconds(20), () -> System.nanoTime() - due >= 0))
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        Thread.currentThread().interrupt();
        assertThat(Deadline.in(Duration.ofSeconds(60)).untilInterrupted(Duration.ofMillis(5), () -> false))
                .isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
}
