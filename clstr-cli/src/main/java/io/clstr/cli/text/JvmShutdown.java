package io.clstr.cli.text;

/**
 * Whether this JVM has begun to shut down: after a signal (Ctrl-C, SIGTERM) the cluster's cleanup runs
 * in shutdown hooks while the stage's thread may still be reporting tests that failed only because
 * the cluster went away; the report stops there and the interrupt says why instead.
 */
public final class JvmShutdown {

    private JvmShutdown() {}

    /** True once the JVM's shutdown has begun: no shutdown hook can be added any more. */
    public static boolean begun() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
