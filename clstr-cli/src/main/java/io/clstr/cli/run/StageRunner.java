package io.clstr.cli.run;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.clstr.cli.text.LiveLine;
import io.clstr.cli.text.Printer;
import io.clstr.cli.text.Terminal;
import io.clstr.cli.text.Wrap;
import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.Trees;
import io.clstr.junit.internal.UnavailableChallengeGuard;
import io.clstr.junit.internal.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs stage classes through the JUnit Platform Launcher, one session per run and one request
 * per stage, printing each stage in clstr.io's shape and writing its JUnit XML report to
 * {@code <reports>/TEST-<stage>.xml}. The stage filter that {@code mvn test} uses is switched
 * off here: the CLI selects exactly the stages it runs; of what else the class path registers, only
 * clstr's {@link UnavailableChallengeGuard} is kept (and the test engine).
 */
public final class StageRunner {
    private final Printer out;
    private final Terminal terminal;

    public StageRunner(Printer out, Terminal terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Runs {@code stages} in order, stopping at the first that does not pass. {@code parameters}
     * are the JUnit configuration parameters of every stage; {@link Settings#STAGE} is set per stage.
     */
    public RunResult run(List<StageInfo> stages, Map<String, String> parameters, Path reports) {
        clearReports(reports);
        // nothing the class path registers but the test engine: clstr's session listener is added here, and
        // the launcher's and the reporting module's execution listeners (unique-id tracking, the Open Test
        // Reporting XML) would do nothing unless configured to, yet are loaded and set up on every start
        LauncherConfig config = LauncherConfig.builder()
                .enablePostDiscoveryFilterAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .addLauncherSessionListeners(new UnavailableChallengeGuard())
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enableTestExecutionListenerAutoRegistration(false)
                .build();
        List<StageOutcome> outcomes = new ArrayList<>();
        try (LauncherSession session = LauncherFactory.openSession(config);
                LiveLine live = LiveLine.start(out, terminal, Wrap.width(true, System.getenv()))) {
            for (StageInfo stage : stages) {
                StageOutcome outcome = runStage(session.getLauncher(), stage, parameters, reports);
                outcomes.add(outcome);
                if (!outcome.passed()) {
                    break;
                }
            }
        }
        return new RunResult(outcomes);
    }

    private StageOutcome runStage(Launcher launcher, StageInfo stage, Map<String, String> parameters, Path reports) {
        Map<String, String> stageParameters = new HashMap<>(parameters);
        stageParameters.put(Settings.STAGE, stage.key());
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(stage.testClass()))
                .configurationParameters(stageParameters)
                .build();
        out.blank();
        out.line(terminal.bold("Testing " + stage.key() + ": " + stage.title()));
        out.blank();
        ReportListener report =
                new ReportListener(out, terminal, Wrap.width(System.console() != null, System.getenv()));
        Path xmlDir = tempDir(reports);
        try {
            launcher.execute(
                    request,
                    report,
                    new LegacyXmlReportGeneratingListener(xmlDir, new PrintWriter(Writer.nullWriter())));
            moveReport(xmlDir, reports.resolve("TEST-" + stage.key() + ".xml"));
        } finally {
            Trees.delete(xmlDir);
        }
        out.blank();
        boolean passed = report.exitCode() == 0;
        out.line(passed ? terminal.green("PASSED ✓") : terminal.red("FAILED ✗"));
        return new StageOutcome(stage, report.exitCode(), report.firstFailure(), report.seedShown());
    }

    private static void clearReports(Path reports) {
        try {
            Files.createDirectories(reports);
            try (Stream<Path> old = Files.list(reports)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    if (p.getFileName().toString().startsWith("TEST-")) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the report folder " + reports, e);
        }
    }

    private static Path tempDir(Path reports) {
        try {
            return Files.createTempDirectory(reports, ".run-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the report folder " + reports, e);
        }
    }

    private static void moveReport(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".xml")) {
                    Files.move(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + to, e);
        }
    }
}
