package io.clstr.junit.internal.runtime;

import io.clstr.junit.SetupException;
import io.clstr.junit.internal.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports claimed for one run, each guarded by an OS lock on
 * {@code ${java.io.tmpdir}/clstr-ports/<port>.lock} until {@link #close()}, so concurrent runs
 * (in this JVM or others) never hand out the same port. The OS releases the locks if the JVM dies.
 */
public final class PortLease implements AutoCloseable {
    private static final String LOCK_DIR = "clstr-ports";

    private final List<Integer> ports;
    private final List<HeldFileLock> locks;
    private boolean closed;

    private PortLease(List<Integer> ports, List<HeldFileLock> locks) {
        this.ports = List.copyOf(ports);
        this.locks = locks;
    }

    /** Claims {@code count} free ports from {@link PortRange#DEFAULT}. */
    public static PortLease claim(int count) {
        return claim(count, PortRange.DEFAULT);
    }

    /**
     * Claims {@code count} distinct ports of {@code range}, scanning from a random place. A port is free
     * when its lock is obtained and it can be bound right now, on all interfaces and on 127.0.0.1.
     * Throws {@link SetupException} if the range has fewer free ports.
     */
    public static PortLease claim(int count, PortRange range) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        Path dir = lockDir();
        List<Integer> ports = new ArrayList<>(count);
        List<HeldFileLock> locks = new ArrayList<>(count);
        int offset = ThreadLocalRandom.current().nextInt(range.size());
        IOException lockFailure = null;
        for (int i = 0; i < range.size() && ports.size() < count; i++) {
            int port = range.first() + (offset + i) % range.size();
            try {
                Optional<HeldFileLock> lock = HeldFileLock.tryLock(dir.resolve(port + ".lock"));
                if (lock.isEmpty()) {
                    continue;
                }
                if (canBind(port)) {
                    ports.add(port);
                    locks.add(lock.get());
                } else {
                    lock.get().close();
                }
            } catch (IOException e) {
                lockFailure = e;
            }
        }
        if (ports.size() < count) {
            locks.forEach(HeldFileLock::close);
            String why = lockFailure != null
                    ? "cannot create lock files in " + dir + " (" + lockFailure.getMessage() + ")"
                    : "needed " + count + ", found " + ports.size()
                            + " (the others are in use or claimed by another clstr run)";
            throw new SetupException(
                    "no free ports in " + range + ": " + why + "; end other clstr runs or choose another range with -D"
                            + Settings.PORTS + "=FIRST-LAST",
                    List.of(),
                    lockFailure);
        }
        return new PortLease(ports, locks);
    }

    /** The claimed ports, in the order they were claimed. */
    public List<Integer> ports() {
        return ports;
    }

    /** Releases every port; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        locks.forEach(HeldFileLock::close);
    }

    @Override
    public String toString() {
        return "PortLease" + ports;
    }

    private static Path lockDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), LOCK_DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SetupException(
                    "cannot create the port lock folder " + dir + ": " + e.getMessage() + "; make " + dir.getParent()
                            + " writable or set -Djava.io.tmpdir",
                    List.of(),
                    e);
        }
        return dir;
    }

    private static boolean canBind(int port) {
        return canBind(new InetSocketAddress(port))
                && canBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    private static boolean canBind(InetSocketAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
