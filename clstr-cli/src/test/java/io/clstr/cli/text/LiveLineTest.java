package io.clstr.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.internal.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The live line on a forced interactive terminal: shown for a long wait or an image build, replaced by the next
 * report line.
 */
class LiveLineTest {

    @Test
    void aLongWaitIsShownInPlaceAndTheNextLineReplacesIt() {
        StringWriter written = new StringWriter();
        Printer out = new Printer(new PrintWriter(written));
        Terminal terminal = Terminal.interactive();
        try (LiveLine live = new LiveLine(out, terminal, 0);
                Progress.Handle wait =
                        Progress.waiting("until GET /cluster/info on every node passes", Duration.ofSeconds(3))) {
            // not Poll: its own wait would become the one the live line shows
            long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!written.toString().contains("of 3.0 s: until GET /cluster/info on every node passes")
                    && System.nanoTime() < giveUp) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            out.line("✓ Leader Election Completes");
        }
        assertThat(written.toString())
                .startsWith("\r\u001b[K")
                .contains("of 3.0 s: until GET /cluster/info on every node passes")
                .contains("⋯ ")
                .as("the report line is written over the live line")
                .contains("\r\u001b[K✓ Leader Election Completes");
    }

    @Test
    void anImageBuildShowsItsElapsedTimeAndLatestOutputLineAsTheyChange() {
        StringWriter written = new StringWriter();
        Printer out = new Printer(new PrintWriter(written));
        try (LiveLine live = new LiveLine(out, Terminal.interactive(), 0);
                Progress.Work build = Progress.working("building image clstr/challenge-kv-store:1a2b3c4d")) {
            build.latest("Step 3/7 : RUN mvn -q package");
            awaitWritten(written, "building image clstr/challenge-kv-store:1a2b3c4d… Step 3/7 : RUN mvn -q package");
            build.latest("[INFO] Compiling 12 source files\n");
            awaitWritten(written, "building image clstr/challenge-kv-store:1a2b3c4d… [INFO] Compiling 12 source files");
        }
        assertThat(written.toString())
                .containsPattern(
                        "\r\u001b\\[K\u001b\\[2m⋯ \\d+\\.\\d s: building image clstr/challenge-kv-store:1a2b3c4d…"
                                + " Step 3/7 : RUN mvn -q package\u001b\\[0m")
                .as("no window: an image build's length is not known")
                .doesNotContain(" s of ")
                .as("the live line is gone when the run ends")
                .endsWith("\r\u001b[K");
    }

    private static void awaitWritten(StringWriter written, String text) {
        // not Poll: its own wait would become the one the live line shows
        long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!written.toString().contains(text) && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(written.toString()).contains(text);
    }

    @Test
    void shortWaitsAreNotShownAndLongTextIsCut() {
        StringWriter written = new StringWriter();
        Printer out = new Printer(new PrintWriter(written));
        try (LiveLine live = new LiveLine(out, Terminal.interactive(), 0)) {
            try (Progress.Handle quick = Progress.waiting("a quick check", Duration.ofMillis(100))) {
                // over before the line would show
            }
        }
        assertThat(written.toString()).doesNotContain("a quick check");
        Progress.Wait wait = new Progress.Wait("x".repeat(200), System.nanoTime(), Duration.ofSeconds(3));
        assertThat(LiveLine.text(wait, 40)).hasSize(39).endsWith("…");
        try (Progress.Work build = Progress.working("building image clstr/toxiproxy:local")) {
            build.latest("y".repeat(200));
            assertThat(LiveLine.text(Progress.current().orElseThrow(), 60))
                    .hasSize(59)
                    .startsWith("⋯ ")
                    .contains(" s: building image clstr/toxiproxy:local… yyy")
                    .endsWith("…");
        }
    }
}
