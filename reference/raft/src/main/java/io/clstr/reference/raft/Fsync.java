package io.clstr.reference.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable file operations: directory fsync and atomic replace. */
final class Fsync {

    private Fsync() {}

    /** Makes a file's creation, deletion or rename in {@code dir} durable. */
    static void directory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename is then as
            // durable as that file system makes it.
            if (Files.isDirectory(dir) && !isUnsupported(e)) {
                throw e;
            }
        }
    }

    /**
     * Replaces {@code target} with {@code bytes} so that after a crash it holds either the old or
     * the new content, never a mix: write a temporary file, fsync it, rename it over the target,
     * fsync the directory.
     */
    static void replaceAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        directory(target.getParent());
    }

    private static boolean isUnsupported(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Is a directory") || message.contains("Operation not supported");
    }
}
