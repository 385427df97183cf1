package io.clstr.junit.check;

import static io.clstr.junit.check.FakeServer.reply;
import static io.clstr.junit.check.Select.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clstr.junit.internal.check.HttpChecks;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class ConcurrentlyTest {

    private final FakeCluster cluster = new FakeCluster(1);
    private final HttpChecks checks = cluster.checks();
    private final FakeNode n1 = cluster.node(1);

    @AfterEach
    void close() {
        cluster.close();
    }

    /**
     * Counts operations in flight. Each one waits (bounded) until {@code gate} are in flight or
     * every operation has arrived, so a limit that is too high shows as more than {@code gate}.
     */
    private static final class Gate {
        private final int gate;
        private final int total;
        private int inFlight;
        private int arrived;
        private int max;

        Gate(int gate, int total) {
            this.gate = gate;
            this.total = total;
        }

        synchronized void pass() {
            inFlight++;
            arrived++;
            max = Math.max(max, inFlight);
            notifyAll();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (inFlight < gate && arrived < total && System.nanoTime() - deadline < 0) {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight--;
            }
        }

        synchronized int max() {
            return max;
        }
    }

    @Test
    void atMost50RequestsAreInFlightByDefault() {
        Gate gate = new Gate(50, 120);
        cluster.server(1).answer(r -> {
            gate.pass();
            return reply(200, "");
        });
        cluster.requestTimeout(Duration.ofSeconds(30));
        LatencyStats stats = checks.concurrently(
                120, i -> checks.put(node(n1), "/kv/k" + i, "v" + i).status(200).check());
        assertThat(gate.max()).isEqualTo(50);
        assertThat(stats.count()).isEqualTo(120);
        assertThat(stats.errors()).isZero();
        assertThat(cluster.server(1).received()).hasSize(120);
        assertThat(cluster.server(1).received().stream().map(FakeServer.Received::text))
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 120).mapToObj(i -> "v" + i).toList());
    }

    @Test
    void aLaterClusterRunsOnTheThreadsAnEarlierOneLeft() {
        Gate gate = new Gate(10, 10);
        Set<Thread> first = ConcurrentHashMap.newKeySet();
        checks.concurrently(10, i -> {
            first.add(Thread.currentThread());
            gate.pass();
        });
        cluster.close();
        FakeCluster later = new FakeCluster(1);
        try {
            assertThat(first)
                    .as("the first cluster's threads, once it closed")
                    .hasSize(10)
                    .allMatch(Thread::isAlive);
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            Set<Thread> second = ConcurrentHashMap.newKeySet();
            later.checks().concurrently(10, i -> second.add(Thread.currentThread()));
            assertThat(second)
                    .as("the later cluster's threads: none started for it")
                    .isNotEmpty()
                    .isSubsetOf(before);
        } finally {
            later.close();
        }
    }

    @Test
    void maxInFlightCanBeSet() {
        Gate gate = new Gate(5, 40);
        LatencyStats stats = checks.concurrently(40, 5, i -> gate.pass());
        assertThat(gate.max()).isEqualTo(5);
        assertThat(stats.count()).isEqualTo(40);
    }

    @Test
    void everyOpRunsOnceAndStatsGoToTheTimeline() {
        ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
        LatencyStats stats = checks.concurrently(100, i -> seen.merge(i, 1, Integer::sum));
        assertThat(seen).hasSize(100).allSatisfy((i, times) -> assertThat(times).isEqualTo(1));
        assertThat(stats.errors()).isZero();
        assertThat(stats.errorPercent()).isZero();
        assertThat(cluster.events()).containsExactly("CONCURRENTLY: 100 ops: " + stats);
        assertThat(stats.toString()).startsWith("100 ops, 0 failed (0.0%), p50 ");
        checks.concurrently("writes to one key", 3, 2, i -> {});
        assertThat(cluster.events().get(1)).startsWith("CONCURRENTLY: writes to one key: 3 ops, 0 failed (0.0%), p50 ");
    }

    @Test
    void failuresAreReportedAfterEveryOpFinished() {
        cluster.server(1)
                .answer(r -> r.target().endsWith("/k7")
                                || r.target().endsWith("/k42")
                                || r.target().endsWith("/k99")
                        ? reply(500, "disk full")
                        : reply(200, ""));
        // 100 requests at once to one fake server on a loaded machine: this test is about failures, not timeouts
        cluster.requestTimeout(Duration.ofSeconds(30));
        AtomicInteger finished = new AtomicInteger();
        assertThatThrownBy(() -> checks.concurrently(100, i -> {
                    try {
                        checks.put(node(n1), "/kv/k" + i, "v" + i)
                                .status(200)
                                .hint("Writes must succeed.")
                                .check();
                    } finally {
                        finished.incrementAndGet();
                    }
                }))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith(
                        "3 of 100 operations failed (100 requests: 97× 2xx, 3× 5xx); first failure:\nPUT /kv/k")
                .hasMessageContaining(" on n1 → expected status 200\n  n1 (" + n1.uri()
                        + "): 500 \"disk full\" — failed: status\nHint: Writes must succeed.")
                .hasCauseInstanceOf(AssertionFailedError.class);
        assertThat(finished.get()).isEqualTo(100);
        assertThat(cluster.events())
                .singleElement()
                .asString()
                .startsWith("CONCURRENTLY: 100 ops: 100 ops, 3 failed (3.0%), p50 ")
                .endsWith("; 100 requests: 97× 2xx, 3× 5xx");
    }

    @Test
    void theSummaryCountsAnswersByStatusClassEvenWhenNoOperationFailed() {
        cluster.server(1).answer(r -> reply(500, "broken"));
        LatencyStats stats = checks.concurrently(5, i -> checks.send(n1, Request.put("/kv/k" + i, "v")));
        assertThat(stats.errors()).isZero();
        assertThat(cluster.events()).singleElement().asString().endsWith("; 5 requests: 5× 5xx");
    }

    @Test
    void runtimeExceptionsCountAsFailures() {
        assertThatThrownBy(() -> checks.concurrently(10, i -> {
                    if (i == 4) {
                        throw new IllegalStateException("boom");
                    }
                }))
                .hasMessage("1 of 10 operations failed; first failure:\njava.lang.IllegalStateException: boom");
    }

    @Test
    void anErrorOtherThanAFailureGoesUpAsItIsOnceEveryOpHasRun() {
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> checks.concurrently(20, 3, i -> {
                    ran.incrementAndGet();
                    if (i == 5) {
                        throw new OutOfMemoryError("pretend");
                    }
                }))
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessage("pretend");
        assertThat(ran).hasValue(20);
    }

    @Test
    void opsStartInIndexOrderAndAnInterruptFlagLeftByOneDoesNotReachTheNext() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
        checks.concurrently(5, 1, i -> {
            order.add(i);
            interruptedAtStart.add(Thread.currentThread().isInterrupted());
            Thread.currentThread().interrupt();
        });
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(interruptedAtStart).containsOnly(false);
    }

    @Test
    void interruptionCancelsTheOpsAndRestoresTheFlag() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interruptedOps = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            try {
                checks.concurrently(10, 2, i -> {
                    started.countDown();
                    try {
                        never.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        interruptedOps.incrementAndGet();
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (RuntimeException e) {
                thrown.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        runner.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(runner.isAlive()).isFalse();
        assertThat(thrown.get())
                .isInstanceOf(CancellationException.class)
                .hasMessage("interrupted while running 10 operations concurrently");
        assertThat(flagAfter.get()).isTrue();
        // the running ops are interrupted (shutdownNow) and notice it on their own threads
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(interruptedOps.get()).isPositive());
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> checks.concurrently(-1, i -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checks.concurrently(1, 0, i -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThat(checks.concurrently(0, i -> {}))
                .hasToString("0 ops, 0 failed (0.0%), p50 0 ms, p95 0 ms, p99 0 ms, max 0 ms");
    }
}
