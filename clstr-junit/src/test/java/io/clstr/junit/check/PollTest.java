package io.clstr.junit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    private final Poll poll = Poll.every(Duration.ofMillis(10));

    @Test
    void eventuallyReturnsTheFirstObservationThatHolds() {
        AtomicInteger n = new AtomicInteger();
        Poll.Outcome<Integer> outcome = poll.eventually(Duration.ofSeconds(5), n::incrementAndGet, i -> i == 3);
        assertThat(outcome.held()).isTrue();
        assertThat(outcome.last()).isEqualTo(3);
        assertThat(outcome.polls()).isEqualTo(3);
    }

    @Test
    void eventuallyGivesUpAfterTheWindowWithTheLastObservation() {
        AtomicInteger n = new AtomicInteger();
        Poll.Outcome<Integer> outcome = poll.eventually(Duration.ofMillis(100), n::incrementAndGet, i -> false);
        assertThat(outcome.held()).isFalse();
        assertThat(outcome.last()).isEqualTo(n.get());
        assertThat(outcome.polls()).isGreaterThan(1);
        assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void consistentlyStopsAtTheFirstObservationThatDoesNotHold() {
        AtomicInteger n = new AtomicInteger();
        Poll.Outcome<Integer> outcome = poll.consistently(Duration.ofSeconds(5), n::incrementAndGet, i -> i < 4);
        assertThat(outcome.held()).isFalse();
        assertThat(outcome.last()).isEqualTo(4);
        assertThat(outcome.polls()).isEqualTo(4);
    }

    @Test
    void consistentlyHoldsThroughTheWholeWindow() {
        Poll.Outcome<String> outcome = poll.consistently(Duration.ofMillis(100), () -> "fine", s -> true);
        assertThat(outcome.held()).isTrue();
        assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void sampleRethrowsTheFirstFailingRoundAndRunsNoMore() {
        AtomicInteger rounds = new AtomicInteger();
        assertThatThrownBy(() -> poll.sample(Duration.ofSeconds(5), () -> {
                    if (rounds.incrementAndGet() == 2) {
                        throw Failure.of("round 2")
                                .expected("no failure")
                                .found("a failure")
                                .error();
                    }
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("round 2 → expected no failure");
        assertThat(rounds).hasValue(2);
    }

    @Test
    void anInterruptedPollIsCancelledAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> poll.eventually(Duration.ofSeconds(5), () -> 1, i -> false))
                    .isInstanceOf(CancellationException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
