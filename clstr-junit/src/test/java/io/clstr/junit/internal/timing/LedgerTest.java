package io.clstr.junit.internal.timing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void anUnrecordedThreadAndTheThreadsItStartsCountNothingWhileOthersDo() throws InterruptedException {
        Ledger ledger = Ledger.open("stage");
        Thread recorded = new Thread(() -> {
            try (Ledger.Span wait = Ledger.waiting(Ledger.Wait.REQUEST)) {
                pause();
            }
        });
        Thread unrecorded = new Thread(() -> {
            Ledger.unrecordedThread();
            try (Ledger.Span part = Ledger.part("warm-up");
                    Ledger.Span wait = Ledger.waiting(Ledger.Wait.START)) {
                pause();
            }
            Thread child = new Thread(() -> {
                try (Ledger.Span wait = Ledger.waiting(Ledger.Wait.WINDOW)) {
                    pause();
                }
                Ledger.waited(Ledger.Wait.SETTLE, System.nanoTime() - 5_000_000, System.nanoTime());
            });
            child.start();
            try {
                child.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        recorded.start();
        unrecorded.start();
        recorded.join();
        unrecorded.join();

        Report report = ledger.close();

        assertThat(report.waited().getOrDefault(Ledger.Wait.REQUEST, 0L)).isGreaterThanOrEqualTo(15_000_000L);
        assertThat(report.waited()).allSatisfy((kind, nanos) -> assertThat(kind == Ledger.Wait.REQUEST || nanos == 0)
                .as("%s counted %d ns", kind, nanos)
                .isTrue());
        assertThat(report.overhead()).doesNotContainKey("warm-up");
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
