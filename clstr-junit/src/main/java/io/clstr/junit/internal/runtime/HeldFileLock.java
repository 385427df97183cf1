package io.clstr.junit.internal.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive OS lock on a file, held until {@link #close()}; the OS releases it when the JVM dies.
 *
 * <p>OS file locks belong to the whole process, and closing any channel on a file drops every lock
 * the JVM holds on it. So this JVM never opens a file it already holds a lock on: a JVM-wide set
 * of held paths answers that before any channel is opened.
 */
final class HeldFileLock implements AutoCloseable {
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private HeldFileLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code file} (created if missing) without waiting; empty if this or another process holds it.
     * Throws {@link IOException} if the file cannot be opened at all.
     */
    static Optional<HeldFileLock> tryLock(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD.remove(key);
                return Optional.empty();
            }
            return Optional.of(new HeldFileLock(key, channel, lock));
        } catch (IOException | OverlappingFileLockException e) {
            if (channel != null) {
                closeQuietly(channel);
            }
            HELD.remove(key);
            if (e instanceof IOException io) {
                throw io;
            }
            return Optional.empty();
        }
    }

    Path path() {
        return path;
    }

    /** The channel of the locked file, to write into it. */
    FileChannel channel() {
        return channel;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases the lock as well
        }
        closeQuietly(channel);
        HELD.remove(path);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing is left to release: the OS drops the lock with the descriptor
        }
    }
}
