package io.clstr.junit.testnode;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Command lines for the test-only programs: {@link TestNode} as a node's {@code run}, and small child JVMs. */
public final class TestNodes {
    /** JVM options that keep a small program cheap on a 2-core machine (the heap size comes separately). */
    public static final List<String> SMALL_JVM =
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData");

    private TestNodes() {}

    /** The {@code run} command (a {@code sh -c} string) that starts a {@link TestNode}. */
    public static String command() {
        List<String> words = new ArrayList<>();
        words.add(java().toString());
        words.addAll(SMALL_JVM);
        words.add("-Xmx64m");
        words.add("-cp");
        words.add(classpath(TestNode.class));
        words.add(TestNode.class.getName());
        return words.stream().map(TestNodes::shellQuote).collect(Collectors.joining(" "));
    }

    /**
     * The argument list that runs {@code main} of {@code mainClass} in a fresh small JVM with this JVM's
     * classpath (class folders replaced by private copies, see {@link #classpath(Class[])}).
     */
    public static List<String> javaCommand(Class<?> mainClass, String... args) {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(mainClass, io.clstr.junit.internal.runtime.ProcessRuntime.class)) {
            entries.add(ClassSnapshot.of(location(c), c).toString());
        }
        String own = System.getProperty("java.class.path", "");
        for (String entry : own.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path path = Path.of(entry).toAbsolutePath();
                entries.add(
                        Files.isDirectory(path) ? ClassSnapshot.of(path, null).toString() : path.toString());
            }
        }
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(SMALL_JVM);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, entries));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** The java launcher of the running JVM. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * A classpath holding the given classes: a private copy of the folders (or jars) they were loaded
     * from, made once per JVM, so that a build recompiling {@code target/} meanwhile (an IDE, a second
     * Maven run) cannot pull classes from under the child JVMs.
     */
    public static String classpath(Class<?>... classes) {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            entries.add(ClassSnapshot.of(location(c), c).toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
        }
    }

    /** Quotes {@code word} for {@code sh}. */
    public static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
