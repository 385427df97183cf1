package io.clstr.junit.stages;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.testnode.TestNodes;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs one stage class through the JUnit Platform in a JVM of its own:
 * {@code StageMain <stage class> <challenge folder>}; prints {@code PASSED}/{@code FAILED} and exits 0/1.
 */
public final class StageMain {
    private StageMain() {}

    public static void main(String[] args) throws ClassNotFoundException {
        Class<?> stage = Class.forName(args[0]);
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try (LauncherSession session = LauncherFactory.openSession()) {
            Launcher launcher = session.getLauncher();
            launcher.execute(
                    LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectClass(stage))
                            .configurationParameter(Settings.DIR, args[1])
                            .configurationParameter(Settings.RUN, TestNodes.command())
                            .build(),
                    summary);
        }
        boolean passed = summary.getSummary().getTotalFailureCount() == 0;
        System.out.println(passed ? "PASSED" : "FAILED");
        System.exit(passed ? 0 : 1);
    }
}
