package io.clstr.cli.text;

/**
 * Whether this JVM has begun to shut down: after a signal (Ctrl-C, SIGTERM) the cluster's cleanup runs
 * in shutdown hooks while the stage's thread may still be reporting tests that failed only because
 * the cluster went away; the report stops there and the interrupt says why instead.
 */
public final class JvmShutdown {
    /**
     * Registered and removed again at each question: the JVM refuses a hook once its shutdown has begun.
     * One unstarted thread, reused: creating a thread per printed line cost a cold JVM 0.1-0.2 ms a line.
     */
    private static final Thread PROBE = new Thread(() -> {}, "clstr-shutdown-probe");

    private static boolean begun; // guarded by JvmShutdown.class; once true, stays true

    private JvmShutdown() {}

    /** True once the JVM's shutdown has begun: no shutdown hook can be added any more. */
    public static synchronized boolean begun() {
        if (!begun) {
            try {
                Runtime.getRuntime().addShutdownHook(PROBE);
                Runtime.getRuntime().removeShutdownHook(PROBE);
            } catch (IllegalStateException e) {
                begun = true;
            }
        }
        return begun;
    }
}
