package io.clstr.cli.run;

import io.clstr.cli.ExitCode;
import io.clstr.junit.StageInfo;

/**
 * How one stage went.
 *
 * @param stage      the stage
 * @param exitCode   {@link ExitCode#OK}, {@link ExitCode#FAILED} or {@link ExitCode#USAGE}
 * @param failedTest the display name of the first test (or {@code CLUSTER STARTUP}) that failed; null when it passed
 * @param seedShown  true when the failure's message already says how to rerun with the seed
 */
public record StageOutcome(StageInfo stage, int exitCode, String failedTest, boolean seedShown) {

    public boolean passed() {
        return exitCode == ExitCode.OK;
    }
}
