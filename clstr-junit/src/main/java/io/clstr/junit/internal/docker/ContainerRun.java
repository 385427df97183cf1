package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.WaitResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One start of a container, watched through the engine's wait API: {@link #exited()} turns true, and
 * {@link #await(Duration)} returns, once the container's process has ended.
 */
final class ContainerRun extends ResultCallback.Adapter<WaitResponse> {
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Long exitCode;

    @Override
    public void onNext(WaitResponse response) {
        if (response.getStatusCode() != null) {
            exitCode = response.getStatusCode().longValue();
        }
    }

    @Override
    public void onComplete() {
        ended.countDown();
        super.onComplete();
    }

    @Override
    public void onError(Throwable throwable) {
        ended.countDown();
        super.onError(throwable);
    }

    /** True once the container has ended. */
    boolean exited() {
        return ended.getCount() == 0;
    }

    /** Waits up to {@code timeout} for the end; returns whether it came. */
    boolean await(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The exit code, once the engine reported it. */
    OptionalLong exitCode() {
        Long code = exitCode;
        return code == null ? OptionalLong.empty() : OptionalLong.of(code);
    }

    /** Stops watching (the container is removed, or the run ends). */
    void release() {
        try {
            close();
        } catch (IOException e) {
            // the watch's stream is gone already
        }
    }
}
