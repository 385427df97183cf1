package io.clstr.junit.check;

import static io.clstr.junit.check.FakeServer.json;
import static io.clstr.junit.check.FakeServer.reply;
import static io.clstr.junit.check.Select.exactlyOne;
import static io.clstr.junit.check.Select.node;
import static io.clstr.junit.check.Select.nodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.not;

import io.clstr.junit.Node;
import io.clstr.junit.internal.check.HttpChecks;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class TimingTest {

    private final FakeCluster cluster = new FakeCluster(3);
    private final HttpChecks checks = cluster.checks();
    private final FakeNode n1 = cluster.node(1);
    private final FakeNode n2 = cluster.node(2);

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Answers 503 to the first {@code failures} requests, then 200. */
    private static Function<FakeServer.Received, FakeServer.Reply> flipAfter(int failures) {
        AtomicInteger seen = new AtomicInteger();
        return r -> seen.incrementAndGet() <= failures ? reply(503, "no leader") : reply(200, "1");
    }

    @Test
    void immediateMakesOneAttempt() {
        cluster.server(1).answer(flipAfter(1));
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/a").status(200).check())
                .hasMessageNotContaining("attempt");
        assertThat(cluster.server(1).received()).hasSize(1);
    }

    @Test
    void eventuallyPassesOnceTheServerFlips() {
        cluster.server(1).answer(flipAfter(3));
        CheckResult result = checks.get(node(n1), "/kv/a")
                .eventually(Duration.ofSeconds(10))
                .status(200)
                .body("1")
                .check();
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(cluster.server(1).received()).hasSize(4);
    }

    @Test
    void eventuallyFailsWithTheLastAttempt() {
        AtomicInteger count = new AtomicInteger();
        cluster.server(1).answer(r -> reply(503, "try " + count.incrementAndGet()));
        AssertionFailedError e = (AssertionFailedError) catchThrowable(() -> checks.get(node(n1), "/kv/a")
                .eventually(Duration.ofMillis(500))
                .status(200)
                .hint("Elect a leader.")
                .check());
        int attempts = count.get();
        assertThat(e).hasMessage("""
                GET /kv/a on n1 → expected status 200
                  n1 (%s): 503 "try %d" — failed: status
                Still failing after 0.5 s (%s); the last attempt is shown.
                Hint: Elect a leader.""", n1.uri(), attempts, attempts == 1 ? "1 attempt" : attempts + " attempts");
    }

    @Test
    void eventuallyReturnsTheOneLeader() {
        cluster.server(1).answer(json("{\"role\":\"follower\"}"));
        AtomicInteger polls = new AtomicInteger();
        cluster.server(2)
                .answer(r -> json("{\"role\":\"" + (polls.incrementAndGet() > 2 ? "leader" : "candidate") + "\"}"));
        cluster.server(3).answer(json("{\"role\":\"follower\"}"));
        Node leader = checks.get(exactlyOne(), "/cluster/info")
                .json("role", "leader")
                .eventually(Duration.ofSeconds(10))
                .check()
                .node();
        assertThat(leader).isSameAs(n2);
    }

    @Test
    void eventuallyWithZeroDurationMakesOneAttempt() {
        cluster.server(1).answer(flipAfter(1));
        assertThatThrownBy(() -> checks.get(node(n1), "/kv/a")
                        .eventually(Duration.ZERO)
                        .status(200)
                        .check())
                .hasMessageContaining("Still failing after 0.0 s (1 attempt); the last attempt is shown.");
    }

    @Test
    void consistentlyPassesWhenItHoldsForTheWholeDuration() {
        cluster.server(1).answer(json("{\"role\":\"follower\"}"));
        cluster.server(2).answer(json("{\"role\":\"follower\"}"));
        long start = System.nanoTime();
        CheckResult result = checks.get(nodes(n1, n2), "/cluster/info")
                .consistently(Duration.ofMillis(500))
                .json("role", not("leader"))
                .check();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(result.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(cluster.server(1).received()).hasSize(result.attempts());
    }

    @Test
    void consistentlyFailsAtTheFirstViolation() {
        AtomicInteger count = new AtomicInteger();
        cluster.server(1).answer(json("{\"role\":\"follower\"}"));
        cluster.server(2)
                .answer(r -> json("{\"role\":\"" + (count.incrementAndGet() >= 4 ? "leader" : "follower") + "\"}"));
        long start = System.nanoTime();
        AssertionFailedError e = (AssertionFailedError) catchThrowable(() -> checks.get(nodes(n1, n2), "/cluster/info")
                .consistently(Duration.ofSeconds(30))
                .json("role", not("leader"))
                .hint("Stay a follower.")
                .check());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("fails at the first violation, not after 30 s").isLessThan(Duration.ofSeconds(15));
        assertThat(count.get()).isEqualTo(4);
        Matcher m = Pattern.compile("Failed after (\\d+\\.\\d) s of the 30\\.0 s it must hold \\(attempt 4\\)\\.")
                .matcher(e.getMessage());
        assertThat(m.find()).as(e.getMessage()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(took.toMillis() / 1000.0 + 0.05);
        assertThat(e.getMessage()).isEqualTo("""
                GET /cluster/info on n1, n2 → expected json "role" not "leader" from each node, but 1 of 2 did not (n2)
                  n1 (%s): 200 "{"role":"follower"}" — ok
                  n2 (%s): 200 "{"role":"leader"}" — failed: json "role" was "leader"
                %s
                Hint: Stay a follower.""".formatted(n1.uri(), n2.uri(), m.group()));
    }

    @Test
    void pollIntervalSpacesAttempts() {
        cluster.server(1).answer(reply(200, "1"));
        long start = System.nanoTime();
        CheckResult result = checks.get(node(n1), "/kv/a")
                .pollInterval(Duration.ofMillis(200))
                .consistently(Duration.ofSeconds(1))
                .status(200)
                .check();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        // attempts at 0, 0.2, 0.4, 0.6, 0.8 and 1.0 s at most: never faster than the interval
        assertThat(result.attempts()).isBetween(2, 6);
    }

    @Test
    void aConfiguredCheckIsImmutableAndReusable() {
        cluster.server(1).answer(reply(200, "1"));
        HttpCheck base = checks.get(node(n1), "/kv/a").status(200);
        HttpCheck stricter = base.body("2");
        base.check();
        base.check();
        assertThatThrownBy(stricter::check).isInstanceOf(AssertionFailedError.class);
        assertThat(base.eventually(Duration.ofSeconds(1))).isNotSameAs(base);
        assertThat(cluster.server(1).received()).hasSize(3);
    }

    @Test
    void interruptionWhilePollingRestoresTheFlag() {
        cluster.server(1).answer(reply(503, ""));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> checks.get(node(n1), "/kv/a")
                            .eventually(Duration.ofSeconds(10))
                            .status(200)
                            .check())
                    .isInstanceOf(CancellationException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
