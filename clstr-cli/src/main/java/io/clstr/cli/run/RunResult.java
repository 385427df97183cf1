package io.clstr.cli.run;

import io.clstr.cli.ExitCode;
import java.util.List;
import java.util.Optional;

/**
 * The stages of one {@code clstr test} or {@code clstr next}, in the order they ran (a run stops
 * at the first stage that does not pass).
 *
 * @param stages the outcome of each stage that ran
 */
public record RunResult(List<StageOutcome> stages) {

    public RunResult {
        stages = List.copyOf(stages);
    }

    /** The exit code of the run: the worst of its stages'. */
    public int exitCode() {
        return stages.stream().mapToInt(StageOutcome::exitCode).reduce(ExitCode.OK, ExitCode::worst);
    }

    public boolean passed() {
        return exitCode() == ExitCode.OK;
    }

    /** The stage that stopped the run, if one did. */
    public Optional<StageOutcome> failed() {
        return stages.stream().filter(s -> !s.passed()).findFirst();
    }
}
