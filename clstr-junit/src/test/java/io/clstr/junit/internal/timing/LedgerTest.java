package io.clstr.junit.internal.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    @Test
    void aTaskRecordsAsTheThreadThatHandedItOverWhereverItRuns() throws Exception {
        Ledger ledger = Ledger.open("stage");
        Runnable[] fromUnrecorded = new Runnable[1];
        Thread warmup = new Thread(() -> {
            Ledger.unrecordedThread();
            fromUnrecorded[0] = Ledger.asCaller(() -> {
                try (Ledger.Span wait = Ledger.waiting(Ledger.Wait.START)) {
                    pause();
                }
            });
        });
        warmup.start();
        warmup.join();
        Runnable fromRecorded = Ledger.asCaller(() -> {
            try (Ledger.Span wait = Ledger.waiting(Ledger.Wait.REQUEST)) {
                pause();
            }
        });
        // a thread kept between stages: it inherits nothing, so only the task's hand-over decides
        ExecutorService kept = Executors.newSingleThreadExecutor(r -> new Thread(null, r, "kept", 0, false));
        try {
            kept.submit(fromUnrecorded[0]).get();
            kept.submit(fromRecorded).get();
            kept.submit(() -> {
                        try (Ledger.Span wait = Ledger.waiting(Ledger.Wait.WINDOW)) {
                            pause(); // the thread's own work after both tasks: recorded, as before them
                        }
                    })
                    .get();
        } finally {
            kept.shutdownNow();
        }

        Report report = ledger.close();

        assertThat(report.waited().getOrDefault(Ledger.Wait.START, 0L))
                .as("the unrecorded thread's task")
                .isZero();
        assertThat(report.waited().getOrDefault(Ledger.Wait.REQUEST, 0L))
                .as("the recorded thread's task")
                .isGreaterThanOrEqualTo(15_000_000L);
        assertThat(report.waited().getOrDefault(Ledger.Wait.WINDOW, 0L))
                .as("the kept thread's own work afterwards")
                .isGreaterThanOrEqualTo(15_000_000L);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
