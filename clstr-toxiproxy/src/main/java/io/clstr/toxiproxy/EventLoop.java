package io.clstr.toxiproxy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one thread that owns every socket of the data path: it selects, dispatches readiness to handlers and runs
 * the tasks other threads hand it. Everything a handler or task touches is confined to this thread.
 */
final class EventLoop implements AutoCloseable {

    /** Something registered with the selector. */
    interface Handler {
        /** The key is ready for the operations it is registered for. */
        void ready(SelectionKey key) throws IOException;

        /** ready() failed: release what this handler owns. */
        void failed(Exception cause);
    }

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long CALL_TIMEOUT_SECONDS = 10;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Runnable> afterRelease = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean running = true;
    private boolean selecting;

    EventLoop(String threadName) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs the task on the loop thread, after what is already queued. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /**
     * Runs the task on the loop thread and waits for it; returns once the sockets it closed are really closed
     * (their file descriptors released), so a closed listener refuses connections when this returns.
     */
    <T> T call(Callable<T> task) throws IOException {
        if (inLoop()) {
            throw new IllegalStateException("call() from the loop thread would wait for itself");
        }
        if (!running) {
            throw new IOException("the proxy server is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                T value = task.call();
                afterRelease.add(() -> result.complete(value));
            } catch (Exception e) {
                afterRelease.add(() -> result.completeExceptionally(e));
            }
        });
        try {
            return result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the event loop");
        } catch (TimeoutException e) {
            throw new IOException("the event loop did not answer within " + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** Registers a channel with this loop's selector; loop thread only. */
    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    /**
     * Loop thread: really closes the channels closed since the last select (the selector holds on to their file
     * descriptors until it deregisters them), so their ports can be bound again at once. Readiness seen meanwhile
     * is reported again by the next select.
     */
    void releaseClosedChannels() throws IOException {
        if (!selecting) {
            selector.selectNow(key -> {});
        }
    }

    /** A 64 KiB buffer every read on the loop thread shares; its content is only valid until the next read. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        running = false;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (running) {
                runTasks();
                if (!afterRelease.isEmpty()) {
                    // Closed channels still registered are only really closed when the selector deregisters them.
                    select(false);
                    completeAfterRelease();
                    continue;
                }
                if (running) {
                    select(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event loop stopped", e);
        } finally {
            running = false;
            shutDown();
        }
    }

    private void select(boolean block) throws IOException {
        selecting = true;
        try {
            if (block) {
                selector.select(this::dispatch);
            } else {
                selector.selectNow(this::dispatch);
            }
        } finally {
            selecting = false;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event loop task failed", e);
            }
        }
    }

    private void completeAfterRelease() {
        List<Runnable> completions = new ArrayList<>(afterRelease);
        afterRelease.clear();
        completions.forEach(Runnable::run);
    }

    private void dispatch(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        try {
            if (key.isValid()) {
                handler.ready(key);
            }
        } catch (IOException | RuntimeException e) {
            handler.failed(e);
        }
    }

    private void shutDown() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a channel failed", e);
            }
        }
        try {
            selector.selectNow();
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector failed", e);
        }
        runTasks();
        completeAfterRelease();
    }
}
