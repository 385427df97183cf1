package io.clstr.cli;

import picocli.CommandLine.Option;

/** Options of every command that runs stages ({@code test}, {@code next}). */
final class RunOptions {

    @Option(
            names = "--runtime",
            paramLabel = "<runtime>",
            description = "auto, docker or process (default: clstr.yaml's runtime).")
    String runtime;

    @Option(
            names = "--seed",
            paramLabel = "<n>",
            description = "Seed for every random choice clstr makes, to rerun a failure the same way"
                    + " (your server's own timing cannot be replayed).")
    Long seed;

    @Option(
            names = "--ports",
            paramLabel = "<first-last>",
            description = "Port range for nodes and proxies in the process runtime (default: 20000-29999).")
    String ports;

    /** Set by {@code clstr test --only}: the one test to run (not an option of {@code next}). */
    String only;
}
