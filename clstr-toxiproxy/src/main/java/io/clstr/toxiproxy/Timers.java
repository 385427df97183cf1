package io.clstr.toxiproxy;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Delays actions of the data path: one scheduler thread waits, then hands each action to the event loop. */
final class Timers implements AutoCloseable {
    private final EventLoop loop;
    private final ScheduledThreadPoolExecutor scheduler;

    Timers(EventLoop loop, String threadName) {
        this.loop = loop;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Runs the action on the loop thread after the delay (at once when it is not positive); loop thread only. */
    Task schedule(long delayNanos, Runnable action) {
        Task task = new Task(action);
        if (delayNanos <= 0) {
            loop.execute(task::fire);
            return task;
        }
        try {
            task.future = scheduler.schedule(() -> loop.execute(task::fire), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            task.cancelled = true; // the server is closing: nothing will run any more
        }
        return task;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One scheduled action; its fields are only touched on the loop thread. */
    static final class Task {
        private final Runnable action;
        private ScheduledFuture<?> future;
        private boolean cancelled;

        private Task(Runnable action) {
            this.action = action;
        }

        /** Makes sure the action never runs. */
        void cancel() {
            cancelled = true;
            if (future != null) {
                future.cancel(false);
            }
        }

        private void fire() {
            if (!cancelled) {
                cancelled = true;
                action.run();
            }
        }
    }
}
