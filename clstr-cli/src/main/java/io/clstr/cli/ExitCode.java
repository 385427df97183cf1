package io.clstr.cli;

/** The exit codes of {@code clstr} (DESIGN.md section 8). */
public final class ExitCode {
    /** Every selected stage passed. */
    public static final int OK = 0;
    /** A test failed, or the learner's server failed (build, health, a node died). */
    public static final int FAILED = 1;
    /** Usage or setup: bad arguments, not in a challenge folder, bad clstr.yaml, no run command, no ports. */
    public static final int USAGE = 2;
    /** Interrupted with Ctrl-C, after cleaning up. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {}

    /** The more severe of two codes: interrupted, then usage, then failed, then ok. */
    public static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case OK -> 0;
            case FAILED -> 1;
            case USAGE -> 2;
            default -> 3;
        };
    }
}
