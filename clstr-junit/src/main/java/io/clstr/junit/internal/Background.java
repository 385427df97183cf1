package io.clstr.junit.internal;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Work started now on another thread and awaited later, while the caller goes on with other work:
 * what mostly waits on the disk or the kernel (a data folder's deletion, a file's writing, the
 * runtime's search of /proc and the client's closing of its connections at teardown). Awaiting it
 * throws what the work threw, as it threw it.
 */
public final class Background {
    /** Nothing under way: awaiting it returns at once. */
    public static final Background NONE = new Background(CompletableFuture.completedFuture(null));

    private final CompletableFuture<Void> done;

    private Background(CompletableFuture<Void> done) {
        this.done = done;
    }

    /** Starts {@code work} on one of the JVM's kept threads ({@link Workers}), recording as the calling thread does. */
    public static Background start(Runnable work) {
        return new Background(CompletableFuture.runAsync(work, Workers::execute));
    }

    /** Waits until every one of {@code work} has ended; then throws what the first that failed threw. */
    public static void awaitAll(Collection<Background> work) {
        RuntimeException first = null;
        for (Background b : work) {
            try {
                b.await();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Waits until the work has ended; rethrows what it threw. */
    public void await() {
        try {
            done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }
}
