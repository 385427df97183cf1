package io.clstr.cli;

import io.clstr.cli.text.JvmShutdown;
import io.clstr.cli.text.Terminal;
import io.clstr.junit.internal.Warmup;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** Entry point of the {@code clstr} command; the only place that calls {@link System#exit}. */
public final class Main {

    /** The subcommands (and aliases) that run stages; a word among the arguments is enough to warm up early. */
    private static final Set<String> RUNS_STAGES = Set.of("test", "t", "next", "n");

    private Main() {}

    public static void main(String[] args) {
        // picocli's default factory otherwise loads groovy.lang.Closure when Groovy is on the class path (it
        // comes with REST Assured), and with it the Groovy runtime: about 300 classes, 0.4 s of CPU per start
        System.setProperty("picocli.disable.closures", "true");
        if (Arrays.stream(args).anyMatch(RUNS_STAGES::contains)) {
            Warmup.start(); // while picocli and clstr.yaml are set up and the build runs: see Warmup
        }
        PrintWriter out = utf8(FileDescriptor.out);
        PrintWriter err = utf8(FileDescriptor.err);
        AtomicBoolean finished = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            // Ctrl-C: the JVM exits with 130 once every shutdown hook (the cluster's cleanup too) is
                            // done
                            if (!finished.get()) {
                                err.println("interrupted: stopping the cluster and cleaning up");
                                err.flush();
                            }
                        },
                        "clstr-interrupt"));
        // once an interrupt's cleanup has closed the cluster, the stage's client threads meet a closed client:
        // they end quietly then, as the run does; any other uncaught exception is printed as the JVM would
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (!JvmShutdown.begun()) {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        });
        CliContext context = new CliContext(Path.of(""), Terminal.detect(System.console() != null, System.getenv()));
        int code = ClstrCommand.commandLine(context, out, err, args).execute(args);
        out.flush();
        err.flush();
        // a signal can end the run early (the cluster's own hook closes it, the tests fail fast and the command
        // returns): the hook above must still say so, so the run counts as finished only if no shutdown began
        finished.set(!JvmShutdown.begun());
        System.exit(code);
    }

    private static PrintWriter utf8(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }
}
