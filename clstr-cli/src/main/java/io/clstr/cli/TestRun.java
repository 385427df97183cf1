package io.clstr.cli;

import io.clstr.cli.run.ReportListener;
import io.clstr.cli.run.RunResult;
import io.clstr.cli.run.RuntimeChoice;
import io.clstr.cli.run.StageOutcome;
import io.clstr.cli.run.StageRunner;
import io.clstr.cli.text.Printer;
import io.clstr.cli.text.Terminal;
import io.clstr.junit.SetupException;
import io.clstr.junit.StageInfo;
import io.clstr.junit.internal.Warmup;
import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.runtime.ProcessRuntime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * What {@code test} and {@code next} share: choose the runtime, run the build command once,
 * run the stages, and on a failure print the seed and where to look.
 */
final class TestRun {
    private static final Pattern PORTS = Pattern.compile("\\d{1,5}-\\d{1,5}");

    private TestRun() {}

    static RunResult execute(Workspace ws, List<StageInfo> stages, RunOptions options, Terminal terminal, Printer out)
            throws InterruptedException {
        Warmup.start(); // if Main has not: on the second core while the build runs and JUnit discovers the stage
        String runtime = RuntimeChoice.resolve(options.runtime, ws.yaml(), ws.folder());
        if (options.ports != null && !PORTS.matcher(options.ports).matches()) {
            throw new SetupException("bad --ports `" + options.ports + "`: give a range such as 20000-29999");
        }
        long seed = options.seed != null ? options.seed : new SplittableRandom().nextLong(1, 1L << 31);
        Map<String, String> parameters = new HashMap<>();
        parameters.put(Settings.DIR, ws.folder().toString());
        parameters.put(Settings.RUNTIME, runtime);
        parameters.put(Settings.SEED, Long.toString(seed));
        parameters.put(Settings.SO_FAR, "false");
        if (options.ports != null) {
            parameters.put(Settings.PORTS, options.ports);
        }
        if (options.only != null) {
            parameters.put(Settings.ONLY, options.only);
        }
        String build = ws.yaml().build();
        if (build != null && runtime.equals("process")) { // the docker runtime builds the Dockerfile instead
            out.line(terminal.dim("Building: " + build));
            try (ProcessRuntime builder = new ProcessRuntime(
                    ws.folder(),
                    build,
                    Optional.ofNullable(ws.yaml().buildTimeout()).orElse(ProcessRuntime.DEFAULT_BUILD_TIMEOUT),
                    ws.yaml().run(),
                    (node, line) -> {},
                    ProcessRuntime.DEFAULT_GRACE)) {
                builder.build();
            }
            parameters.put(Settings.BUILD, ""); // built: the stages do not build again
        }
        RunResult result = new StageRunner(out, terminal)
                .run(stages, parameters, ws.dotClstr().resolve("reports"));
        result.failed().filter(f -> f.exitCode() == ExitCode.FAILED).ifPresent(f -> whereToLook(f, seed, out));
        return result;
    }

    private static void whereToLook(StageOutcome failed, long seed, Printer out) {
        out.blank();
        if (!failed.seedShown() && !ReportListener.CLUSTER_STARTUP.equals(failed.failedTest())) {
            out.line("seed: " + seed + " — rerun with --seed " + seed);
        }
        out.line("Read the guide: clstr guide " + failed.stage().key() + " · See the logs: clstr logs");
    }
}
