package io.clstr.junit.internal.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar stream a folder sends to the engine to build an image: every file the folder's
 * {@link DockerIgnore} keeps, never {@code .clstr/} (clstr's runs and logs), and always the Dockerfile and
 * {@code .dockerignore}. Permissions and symbolic links are kept.
 */
final class BuildContext {
    private static final String CLSTR_DIR = ".clstr";

    private BuildContext() {}

    /** Writes the context of {@code folder} (whose Dockerfile is {@code dockerfile}) as a tar to {@code out}. */
    static void write(Path folder, String dockerfile, OutputStream out) {
        DockerIgnore ignore = DockerIgnore.read(folder);
        Set<String> always = Set.of(dockerfile, ".dockerignore");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    String name = relative(folder, dir);
                    if (name.isEmpty()) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (name.equals(CLSTR_DIR) || ignore.excludes(name) && !ignore.hasExceptions()) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!ignore.excludes(name)) {
                        add(tar, dir, name + "/");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = relative(folder, file);
                    if (always.contains(name) || !ignore.excludes(name)) {
                        add(tar, file, name);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack the build context of " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String relative(Path folder, Path path) {
        return folder.relativize(path).toString().replace('\\', '/');
    }

    private static void add(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else {
            entry = new TarArchiveEntry(path.toFile(), name);
        }
        entry.setMode(entry.isSymbolicLink() ? 0120777 : mode(path, entry.isDirectory()));
        tar.putArchiveEntry(entry);
        if (entry.isFile() && !entry.isSymbolicLink()) {
            try (InputStream in = Files.newInputStream(path)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }

    /** The file's permission bits (with the type bits tar expects), or 0755/0644 where they cannot be read. */
    private static int mode(Path path, boolean directory) {
        int type = directory ? 040000 : 0100000;
        int fallback = type | (directory || Files.isExecutable(path) ? 0755 : 0644);
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return fallback;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            int bits = 0;
            for (PosixFilePermission p : perms) {
                bits |= 1 << (8 - p.ordinal());
            }
            return type | bits;
        } catch (IOException e) {
            return fallback;
        }
    }
}
