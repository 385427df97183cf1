package io.clstr.junit.internal.docker;

import io.clstr.junit.SetupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The tar stream a folder sends to the engine to build an image: every file the folder's
 * {@link DockerIgnore} keeps, never {@code .clstr/} (clstr's runs and logs), and always the Dockerfile and
 * {@code .dockerignore}. Permissions and symbolic links are kept; sockets, named pipes and devices are left out.
 *
 * <p>The folder may change while it is packed (a log a program still writes to). Each file is packed with the
 * length it had when it was listed: what it gained since is left out, what it lost is padded with zero bytes. A
 * file that is removed, or cannot be read, between its listing and its reading is a {@link SetupException}
 * naming it.
 */
final class BuildContext {
    private static final String CLSTR_DIR = ".clstr";
    private static final int BUFFER = 64 * 1024;

    /** Opens a file of the folder for reading: {@link Files#newInputStream} but where tests choose. */
    @FunctionalInterface
    interface Opener {
        InputStream open(Path file) throws IOException;
    }

    private BuildContext() {}

    /** Writes the context of {@code folder} (whose Dockerfile is {@code dockerfile}) as a tar to {@code out}. */
    static void write(Path folder, String dockerfile, OutputStream out) {
        write(folder, dockerfile, out, Files::newInputStream);
    }

    /** As {@link #write(Path, String, OutputStream)}, reading each file through {@code opener}. */
    static void write(Path folder, String dockerfile, OutputStream out, Opener opener) {
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
                        add(tar, dir, name + "/", attrs, opener);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = relative(folder, file);
                    if (attrs.isOther()) {
                        // a socket, a named pipe or a device: reading a pipe would wait for a writer forever
                        return FileVisitResult.CONTINUE;
                    }
                    if (always.contains(name) || !ignore.excludes(name)) {
                        add(tar, file, name, attrs, opener);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    throw unreadable(relative(folder, file), e);
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        throw unreadable(relative(folder, dir), e);
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

    /** Adds {@code path} as {@code name}, a file with the length {@code attrs} (its listing) gave it. */
    private static void add(
            TarArchiveOutputStream tar, Path path, String name, BasicFileAttributes attrs, Opener opener)
            throws IOException {
        TarArchiveEntry entry;
        InputStream content = null;
        if (attrs.isSymbolicLink()) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            try {
                entry.setLinkName(Files.readSymbolicLink(path).toString());
            } catch (IOException e) {
                throw unreadable(name, e);
            }
            entry.setMode(0120777);
        } else if (attrs.isDirectory()) {
            entry = new TarArchiveEntry(name, TarConstants.LF_DIR);
            entry.setMode(mode(path, true));
        } else {
            // opened before its entry starts: a file gone by now fails before the archive has half an entry
            content = open(opener, path, name);
            entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
            entry.setMode(mode(path, false));
            entry.setSize(attrs.size());
        }
        entry.setModTime(attrs.lastModifiedTime());
        try (InputStream in = content) {
            tar.putArchiveEntry(entry);
            if (in != null) {
                copy(in, tar, attrs.size(), name);
            }
            tar.closeArchiveEntry();
        }
    }

    private static InputStream open(Opener opener, Path path, String name) {
        try {
            return opener.open(path);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /**
     * Copies exactly {@code size} bytes of {@code in} to {@code tar}: no more when the file grew since its listing,
     * zero bytes after its end when it shrank.
     */
    private static void copy(InputStream in, TarArchiveOutputStream tar, long size, String name) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(size, 1))];
        long left = size;
        while (left > 0) {
            int n;
            try {
                n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            } catch (IOException e) {
                throw unreadable(name, e);
            }
            if (n < 0) {
                break;
            }
            tar.write(buffer, 0, n);
            left -= n;
        }
        if (left > 0) {
            Arrays.fill(buffer, (byte) 0);
            while (left > 0) {
                int n = (int) Math.min(buffer.length, left);
                tar.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** The one-line setup error for a file of the folder that is gone or cannot be read. */
    private static SetupException unreadable(String name, IOException e) {
        String what = name.isEmpty() ? "the challenge folder" : name;
        String message;
        if (e instanceof NoSuchFileException) {
            message = what + " was removed while clstr packed it into the Docker build context; run again, or list it"
                    + " in .dockerignore if a program writes there";
        } else {
            message = "cannot read " + what + " to pack it into the Docker build context (" + reason(e)
                    + "); make it readable, or list it in .dockerignore";
        }
        return new SetupException(message, List.of(), e);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
