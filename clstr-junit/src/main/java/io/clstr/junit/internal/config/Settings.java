package io.clstr.junit.internal.config;

import java.nio.file.Path;

/**
 * Names of the configuration parameters that the CLI and {@code mvn test} share. Each is read
 * as a JUnit configuration parameter, which falls back to the system property of the same name.
 */
public final class Settings {

    /** The challenge folder; default: the working directory. */
    public static final String DIR = "clstr.dir";
    /** {@code auto}, {@code docker} or {@code process}; default: clstr.yaml's runtime. */
    public static final String RUNTIME = "clstr.runtime";
    /** The seed that drives every random choice clstr makes; default: random, printed on failure. */
    public static final String SEED = "clstr.seed";
    /** The stage to run up to (stage filter); default: clstr.yaml's stage. */
    public static final String STAGE = "clstr.stage";
    /** {@code true} (default): run every stage up to {@link #STAGE}; {@code false}: only that stage. */
    public static final String SO_FAR = "clstr.soFar";
    /** Overrides clstr.yaml's run command. */
    public static final String RUN = "clstr.run";
    /** Overrides clstr.yaml's build command. */
    public static final String BUILD = "clstr.build";
    /** Extra node environment on top of clstr.yaml's {@code env}, as {@code NAME=value,NAME=value}. */
    public static final String ENV = "clstr.env";
    /** The port range for nodes and proxies, such as {@code 20000-29999}. */
    public static final String PORTS = "clstr.ports";
    /** One test of the stage, by display name, with the earlier tests it {@code @DependsOn} (the rest are skipped). */
    public static final String ONLY = "clstr.only";
    /**
     * {@code true}: each stage prints where its time went, its waits against clstr's own time (also
     * {@code CLSTR_TIMING=1}); default false.
     */
    public static final String TIMING = "clstr.timing";

    private Settings() {}

    /**
     * The challenge folder of a {@code mvn test} run, read before JUnit's configuration parameters
     * exist (a launcher session, a discovery filter): {@link #DIR}'s system property, else the
     * working directory.
     */
    public static Path folder() {
        return Path.of(System.getProperty(DIR, System.getProperty("user.dir")));
    }
}
