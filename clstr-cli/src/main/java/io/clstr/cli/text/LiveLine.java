package io.clstr.cli.text;

import io.clstr.junit.internal.Progress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * On an interactive terminal, a line under the report that says what a test waits for and how
 * far into its window it is ({@code ⋯ 2.1 s of 3.0 s: until GET /cluster/info on every node
 * passes}), or how long an image build has taken and its latest output line ({@code ⋯ 12.3 s:
 * building image clstr/challenge-kv-store:1a2b3c4d… Step 3/7 : RUN mvn -q package}), rewritten in
 * place four times a second; only for waits longer than half a second.
 * Started for a run, closed at its end; the report's lines replace it as they come.
 */
public final class LiveLine implements AutoCloseable {

    private static final long TICK_MILLIS = 250;
    private static final Duration SHOWN_AFTER = Duration.ofMillis(500);

    private final Printer out;
    private final Terminal terminal;
    private final int width;
    private final Thread ticker;
    private volatile boolean running;

    /** Starts showing waits on {@code out}, cut to {@code width} columns (0: no limit). */
    public LiveLine(Printer out, Terminal terminal, int width) {
        this(out, terminal, width, true);
    }

    private LiveLine(Printer out, Terminal terminal, int width, boolean shown) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
        this.running = shown;
        this.ticker = shown ? new Thread(this::run, "clstr-live-line") : null;
        if (ticker != null) {
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    /** A live line when {@code terminal} shows one, else one that shows nothing. */
    public static LiveLine start(Printer out, Terminal terminal, int width) {
        return new LiveLine(out, terminal, width, terminal.live());
    }

    private void run() {
        boolean shown = false;
        while (running) {
            Optional<Progress.Wait> wait = Progress.current();
            if (wait.isPresent() && wait.get().elapsed().compareTo(SHOWN_AFTER) >= 0) {
                out.live(terminal.dim(text(wait.get(), width)));
                shown = true;
            } else if (shown) {
                out.clearLive();
                shown = false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
        }
    }

    /**
     * {@code ⋯ 2.1 s of 3.0 s: <what>} for a wait, {@code ⋯ 12.3 s: <what>… <latest output line>} for work of no
     * known length (an image build), cut to {@code width} columns.
     */
    static String text(Progress.Wait wait, int width) {
        double elapsed = wait.elapsed().toMillis() / 1000.0;
        String text = wait.window()
                .map(window -> String.format(
                        Locale.ROOT, "⋯ %.1f s of %.1f s: %s", elapsed, window.toMillis() / 1000.0, wait.what()))
                .orElseGet(() -> String.format(Locale.ROOT, "⋯ %.1f s: %s", elapsed, wait.what())
                        + wait.latest().map(line -> "… " + line).orElse(""));
        return width > 1 && text.length() > width - 1 ? text.substring(0, width - 2) + "…" : text;
    }

    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        running = false;
        LockSupport.unpark(ticker);
        try {
            ticker.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.clearLive();
    }
}
