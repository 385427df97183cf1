package io.clstr.junit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.clstr.junit.linearizability.KvInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders a timeline in headless Chromium (Debian's chromium package; CI installs it, and then it must run). */
class TimelineChromiumTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    private Path page;

    @BeforeEach
    void chromiumAndPage() {
        if (!Files.isExecutable(CHROMIUM)) {
            String reason = CHROMIUM + " is missing: install Debian's chromium package to render timelines";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but " + reason);
            }
            System.out.println("skipped: " + reason);
            Assumptions.abort(reason);
        }
        History<KvInput, Object> history = TimelineTest.staleRead();
        page = Timeline.write(dir.resolve("out"), history, RecordedHistoryCheckTest.check(history));
    }

    @Test
    void theDomHoldsTheOperations() throws Exception {
        Path dom = dir.resolve("dom.html");
        chromium(dom, "--dump-dom", page.toUri().toString());
        String text = Files.readString(dom, StandardCharsets.UTF_8);

        assertThat(text)
                .contains(
                        "client 1",
                        "client 2",
                        "client 3",
                        "put x = 1 → ok",
                        "get x → \"\"",
                        "get x → \"1\"",
                        "put y = 2 → info",
                        "delete y → fail",
                        "PARTITION HEALED",
                        "op ok violating");
    }

    @Test
    void theScreenshotIsNotBlank() throws Exception {
        Path png = dir.resolve("timeline.png");
        chromium(
                dir.resolve("screenshot.log"),
                "--screenshot=" + png,
                "--window-size=1200,800",
                page.toUri().toString());

        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(5 * 1024);
    }

    private void chromium(Path stdout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile-")));
        command.addAll(List.of(args));
        Path stderr = dir.resolve(stdout.getFileName() + ".err");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish in 90 s: " + command + "\n" + Files.readString(stderr));
        }
        assertThat(process.exitValue())
                .as("chromium exit status; stderr:\n%s", Files.readString(stderr))
                .isZero();
    }
}
