package io.clstr.junit.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.internal.LineTail;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDrainTest {

    @Test
    void splitsLinesDropsCarriageReturnsAndKeepsAnUnterminatedLastLine() {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        byte[] input = "one\r\ntwo\n\nthré\nlast".getBytes(StandardCharsets.UTF_8);

        LineDrain drain = LineDrain.start("test", new ByteArrayInputStream(input), lines::add);

        assertThat(drain.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(lines).containsExactly("one", "two", "", "thré", "last");
    }

    @Test
    void splitsOverlongLinesAndSurvivesAFailingConsumer() {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        String longLine = "x".repeat(LineSplitter.MAX_LINE_BYTES + 10);
        byte[] input = ("boom\n" + longLine + "\n").getBytes(StandardCharsets.UTF_8);

        LineDrain drain = LineDrain.start("test", new ByteArrayInputStream(input), line -> {
            if (line.equals("boom")) {
                throw new IllegalStateException("sink failed");
            }
            lines.add(line);
        });

        assertThat(drain.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(lines).containsExactly("x".repeat(LineSplitter.MAX_LINE_BYTES), "x".repeat(10));
    }

    @Test
    void drainsOnAKeptThreadNamedForTheStreamWhileItDrainsAndSeesTheEndWithoutPolling() throws Exception {
        PipedOutputStream out = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(out);
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        List<String> names = Collections.synchronizedList(new ArrayList<>());

        LineDrain drain = LineDrain.start("clstr-n1-stdout", in, line -> {
            threads.add(Thread.currentThread());
            names.add(Thread.currentThread().getName());
        });
        out.write("ready\n".getBytes(StandardCharsets.UTF_8));
        out.flush();

        assertThat(drain.awaitEnd(Duration.ofMillis(200)))
                .as("the stream is still open")
                .isFalse();
        out.close();
        assertThat(drain.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(names).containsExactly("clstr-n1-stdout");
        assertThat(threads.get(0).getName())
                .as("the kept thread, given back under its own name")
                .startsWith("clstr-worker-");
    }

    @Test
    void logRingKeepsTheLastLines() {
        LineTail ring = new LineTail(3);
        for (int i = 1; i <= 5; i++) {
            ring.add("l" + i);
        }
        assertThat(ring.tail(2)).containsExactly("l4", "l5");
        assertThat(ring.tail(10)).containsExactly("l3", "l4", "l5");
    }

    @Test
    void durationsReadLikeMessages() {
        assertThat(io.clstr.junit.internal.Text.describe(Duration.ofSeconds(10)))
                .isEqualTo("10 s");
        assertThat(io.clstr.junit.internal.Text.describe(Duration.ofMillis(1500)))
                .isEqualTo("1.5 s");
        assertThat(io.clstr.junit.internal.Text.describe(Duration.ofMillis(250)))
                .isEqualTo("250 ms");
    }
}
