package io.clstr.junit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing folder trees: the one recursive delete of clstr (symbolic links are removed, never followed). */
public final class Trees {

    private Trees() {}

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void delete(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Empties the way to {@code root} at once and deletes its old contents on another thread: renames
     * it to a hidden sibling ({@code .<name>.deleting-<n>}), which a deletion then removes beside
     * whatever the caller does next (a deletion mostly waits on the disk; the rename does not). The
     * same deletion removes the siblings an earlier run moved aside and ended before deleting. When the
     * rename fails, {@code root} is deleted here, before returning. Await the result before the JVM
     * ends; a sibling it could not delete is left to the next call, and nothing is thrown for it.
     */
    public static Background deleteAside(Path root) {
        Path parent = root.toAbsolutePath().getParent();
        String prefix = "." + root.getFileName() + ".deleting-";
        try {
            Files.move(root, parent.resolve(prefix + System.nanoTime()), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // nothing to move: no last run, or no data folder yet
        } catch (IOException e) {
            delete(root);
        }
        return Background.start(() -> {
            try (Stream<Path> siblings = Files.list(parent)) {
                siblings.filter(p -> p.getFileName().toString().startsWith(prefix))
                        .forEach(Trees::deleteQuietly);
            } catch (IOException | UncheckedIOException e) {
                // no folder, or it went away: nothing moved aside to delete
            }
        });
    }

    /** As {@link #delete}, for a temporary folder whose leftovers are harmless: a failure is ignored. */
    public static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (UncheckedIOException ignored) {
            // a temporary folder left behind does no harm
        }
    }
}
