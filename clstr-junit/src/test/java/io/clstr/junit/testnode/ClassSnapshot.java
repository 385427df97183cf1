package io.clstr.junit.testnode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/** Private copies of class folders, one per folder and JVM, deleted when the JVM exits. */
final class ClassSnapshot {
    private static final Map<Path, Path> COPIES = new HashMap<>();
    private static final long RETRY_NANOS = 60_000_000_000L;
    private static final String PREFIX = "clstr-test-classes-";

    private ClassSnapshot() {}

    /**
     * The copy of {@code location} (a jar is used as it is), made on first use; it must hold {@code needed}'s
     * class file (when given), and copying is retried for a while if a concurrent build has just removed it.
     */
    static synchronized Path of(Path location, Class<?> needed) {
        if (!Files.isDirectory(location) || location.getFileName().toString().startsWith(PREFIX)) {
            return location; // a jar, or already a copy (in a child JVM started from one)
        }
        Path copy = COPIES.get(location);
        if (copy != null) {
            return copy;
        }
        String classFile = needed == null ? null : needed.getName().replace('.', '/') + ".class";
        long deadline = System.nanoTime() + RETRY_NANOS;
        try {
            while (true) {
                Path target = Files.createTempDirectory(PREFIX);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(target)));
                copyTree(location, target);
                if (classFile == null || Files.isRegularFile(target.resolve(classFile))) {
                    COPIES.put(location, target);
                    return target;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException(location + " does not hold " + classFile);
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the classes in " + location, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying " + location, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult
                        .CONTINUE; // removed by a concurrent build: the check for the needed class decides
            }
        });
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder: the OS cleans it eventually
        }
    }
}
