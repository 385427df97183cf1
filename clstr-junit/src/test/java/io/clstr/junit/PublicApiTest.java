package io.clstr.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API is what docs/authoring.md lists: every public top-level type of clstr-junit lies in
 * a documented package or under io.clstr.junit.internal, and every one in a documented package is on
 * the page.
 */
class PublicApiTest {

    private static final Set<String> DOCUMENTED = Set.of(
            "io.clstr.junit",
            "io.clstr.junit.check",
            "io.clstr.junit.network",
            "io.clstr.junit.history",
            "io.clstr.junit.linearizability",
            "io.clstr.junit.lock",
            "io.clstr.junit.queue",
            "io.clstr.junit.raft",
            "io.clstr.junit.stream");

    @Test
    void publicTypesLieInTheDocumentedPackagesAndAreOnTheAuthorPage() throws Exception {
        List<Class<?>> types = publicTopLevelTypes();
        assertThat(types).extracting(Class::getName).contains(Cluster.class.getName());
        List<String> stray = types.stream()
                .map(Class::getName)
                .filter(n -> !DOCUMENTED.contains(packageOf(n)) && !n.startsWith("io.clstr.junit.internal."))
                .toList();
        assertThat(stray)
                .as("public types outside the documented packages (move them under io.clstr.junit.internal)")
                .isEmpty();

        String page = Files.readString(repositoryRoot().resolve("docs/authoring.md"), StandardCharsets.UTF_8);
        List<String> missing = types.stream()
                .filter(t -> DOCUMENTED.contains(t.getPackageName()))
                .map(Class::getSimpleName)
                .filter(name -> !page.contains("`" + name + "`"))
                .toList();
        assertThat(missing).as("public types missing from docs/authoring.md").isEmpty();
    }

    private static List<Class<?>> publicTopLevelTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Cluster.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = classes.relativize(f).toString();
                if (!name.endsWith(".class") || name.contains("$") || name.endsWith("package-info.class")) {
                    continue;
                }
                Class<?> type = Class.forName(
                        name.substring(0, name.length() - ".class".length())
                                .replace(f.getFileSystem().getSeparator(), "."),
                        false,
                        PublicApiTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/authoring.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no docs/authoring.md above " + Path.of("").toAbsolutePath());
    }
}
