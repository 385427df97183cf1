package io.clstr.junit.internal.docker;

import io.clstr.junit.testnode.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A challenge folder whose Dockerfile packages {@link TestNode} onto {@code clstr/java:17}, as a learner's
 * folder packages their server. One fixed folder under {@code target/}, so the image is built once per JVM and
 * the engine's layer cache serves later JVMs.
 */
final class TestNodeImage {
    private static final Path FOLDER = Path.of("target", "docker-testnode").toAbsolutePath();

    private TestNodeImage() {}

    /** The folder, with its Dockerfile and the test node's classes (rewritten on each call). */
    static synchronized Path folder() {
        try {
            Path classes = FOLDER.resolve("classes");
            Path packageDir = Path.of(TestNode.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .resolve(TestNode.class.getPackageName().replace('.', '/'));
            Path target = classes.resolve(TestNode.class.getPackageName().replace('.', '/'));
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(packageDir)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(
                    FOLDER.resolve("Dockerfile"),
                    "FROM " + ToxiproxyImage.BASE + "\n"
                            + "COPY classes/ /app/classes/\n"
                            + "CMD [\"java\", \"-XX:+UseSerialGC\", \"-XX:TieredStopAtLevel=1\", \"-Xmx64m\", \"-XX:-UsePerfData\","
                            + " \"-cp\", \"/app/classes\", \"" + TestNode.class.getName() + "\"]\n");
            Files.writeString(FOLDER.resolve(".dockerignore"), ".clstr/\n");
            return FOLDER;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
