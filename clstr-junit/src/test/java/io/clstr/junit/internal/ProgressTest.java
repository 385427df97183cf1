package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void anInnerWaitThatEndsRestoresTheOuterOne() {
        try (Progress.Handle outer = Progress.waiting("the leader", Duration.ofSeconds(3))) {
            try (Progress.Handle inner = Progress.waiting("n1 to answer", Duration.ofSeconds(1))) {
                assertThat(Progress.current()).map(Progress.Wait::what).contains("n1 to answer");
            }
            assertThat(Progress.current()).map(Progress.Wait::what).contains("the leader");
        }
        assertThat(Progress.current()).isEmpty();
    }

    @Test
    void overlappingWaitsThatEndOutOfOrderLeaveNothingBehind() {
        // two nodes' health waits on two threads: the first to start ends first
        Progress.Handle first = Progress.waiting("n1 to answer GET /health with 200", Duration.ofSeconds(10));
        Progress.Handle second = Progress.waiting("n2 to answer GET /health with 200", Duration.ofSeconds(10));
        first.close();
        assertThat(Progress.current()).map(Progress.Wait::what).contains("n2 to answer GET /health with 200");
        second.close();

        assertThat(Progress.current()).as("no ended wait comes back").isEmpty();
    }
}
