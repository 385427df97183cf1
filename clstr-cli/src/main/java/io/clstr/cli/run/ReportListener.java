package io.clstr.cli.run;

import io.clstr.cli.ExitCode;
import io.clstr.cli.text.Printer;
import io.clstr.cli.text.Terminal;
import io.clstr.cli.text.Wrap;
import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints one stage's tests live in clstr.io's shape: a tick or a cross with the duration per
 * test, the failure block under a failed test, skipped tests with their reason, and a failure
 * of the stage class itself (its cluster could not start) as {@code CLUSTER STARTUP}. Records
 * the stage's exit code: 2 when the cause is a {@link SetupException}, 1 for any other failure.
 */
public final class ReportListener implements TestExecutionListener {
    /** How a failure of the stage class before any of its tests ran is reported. */
    public static final String CLUSTER_STARTUP = "CLUSTER STARTUP";
    /** How a failure of the stage class after its tests ran is reported. */
    public static final String CLUSTER_SHUTDOWN = "CLUSTER SHUTDOWN";

    private final Printer out;
    private final Terminal terminal;
    /** Keyed by the identifier itself: its unique id as text is built on first use, 0.1 ms a test in a cold JVM. */
    private final Map<TestIdentifier, Long> startedAt = new ConcurrentHashMap<>();

    private boolean anyTestStarted;
    private int exitCode = ExitCode.OK;
    private String firstFailure;
    private boolean seedShown;

    private final int width;

    /** A listener printing to {@code out}; failure text wrapped at {@code width} columns (0: not wrapped). */
    public ReportListener(Printer out, Terminal terminal, int width) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
    }

    public ReportListener(Printer out, Terminal terminal) {
        this(out, terminal, 0);
    }

    /** The stage's exit code so far. */
    public int exitCode() {
        return exitCode;
    }

    /** The first test that failed, or null. */
    public String firstFailure() {
        return firstFailure;
    }

    /** True when a failure block already told how to rerun with the seed. */
    public boolean seedShown() {
        return seedShown;
    }

    @Override
    public synchronized void executionStarted(TestIdentifier id) {
        startedAt.put(id, System.nanoTime());
        if (id.isTest()) {
            anyTestStarted = true;
        }
    }

    /** How the extension's reason starts for a test that {@code --only} leaves out. */
    static final String NOT_SELECTED = "not selected";

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        if (reason != null && reason.startsWith(NOT_SELECTED)) {
            return; // --only: the tests not asked for are not part of this run
        }
        out.line(terminal.yellow("-") + " " + id.getDisplayName() + " " + terminal.dim("(" + skipped(reason) + ")"));
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String duration = duration(id);
        switch (result.getStatus()) {
            case SUCCESSFUL -> {
                if (id.isTest()) {
                    out.line(terminal.green("✓") + " " + id.getDisplayName() + " " + terminal.dim(duration));
                }
            }
            case ABORTED ->
                out.line(terminal.yellow("-") + " " + id.getDisplayName() + " "
                        + terminal.dim("("
                                + skipped(result.getThrowable()
                                        .map(Throwable::getMessage)
                                        .orElse(null)) + ")"));
            case FAILED -> failed(label(id), duration, result.getThrowable().orElse(null));
        }
    }

    private String label(TestIdentifier id) {
        if (id.isTest()) {
            return id.getDisplayName();
        }
        if (id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
            return anyTestStarted ? CLUSTER_SHUTDOWN : CLUSTER_STARTUP;
        }
        return id.getDisplayName();
    }

    private void failed(String label, String duration, Throwable failure) {
        out.line(terminal.red("✗") + " " + label + " " + terminal.dim(duration));
        out.blank();
        for (String line : describe(failure)) {
            seedShown |= line.contains("--seed");
            if (line.isBlank()) {
                out.line("");
                continue;
            }
            for (String part : Wrap.line(line, width == 0 ? 0 : width - 2)) {
                out.line("  " + styled(part));
            }
        }
        out.blank();
        if (firstFailure == null) {
            firstFailure = label;
        }
        exitCode = ExitCode.worst(
                exitCode, cause(failure, SetupException.class) != null ? ExitCode.USAGE : ExitCode.FAILED);
    }

    /** The failure block: the check's message as written, or a clstr exception's message and detail. */
    static List<String> describe(Throwable failure) {
        if (failure == null) {
            return List.of("failed without saying why");
        }
        SetupException setup = cause(failure, SetupException.class);
        if (setup != null) {
            return withDetail(setup.getMessage(), setup.detail());
        }
        ServerException server = cause(failure, ServerException.class);
        if (server != null) {
            return withDetail(server.getMessage(), server.detail());
        }
        if (failure instanceof AssertionError
                && failure.getMessage() != null
                && !failure.getMessage().isBlank()) {
            return failure.getMessage().stripTrailing().lines().toList();
        }
        String message = failure.getMessage() == null
                ? ""
                : failure.getMessage().lines().findFirst().orElse("");
        return List.of(failure.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message));
    }

    private static List<String> withDetail(String message, List<String> detail) {
        List<String> lines = new ArrayList<>();
        lines.add(message);
        detail.forEach(d -> lines.add("  " + d));
        return lines;
    }

    /** The first throwable of type {@code type} in the cause chain of {@code t}. */
    static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private String styled(String line) {
        return line.stripLeading().startsWith("Hint:") ? terminal.yellow(line) : line;
    }

    private String duration(TestIdentifier id) {
        Long start = startedAt.remove(id);
        long hundredths = start == null ? 0 : Math.round((System.nanoTime() - start) / 1e7);
        // "(0.06s)", without a Formatter: it parses its pattern on every call, a line's largest cost in a cold JVM
        return "(" + hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100 + "s)";
    }

    private static String skipped(String reason) {
        if (reason == null || reason.isBlank()) {
            return "skipped";
        }
        return reason.startsWith("skipped") ? reason : "skipped: " + reason;
    }
}
