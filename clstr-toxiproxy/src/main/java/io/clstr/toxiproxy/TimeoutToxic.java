package io.clstr.toxiproxy;

/**
 * Drops all data; after {@code timeout} milliseconds without any data the connection is closed, never when the
 * timeout is 0 (a black hole). Removing it closes the connection, as Toxiproxy does, whatever its toxicity draw.
 */
final class TimeoutToxic extends Toxic {
    private Timers.Task timer;
    private long lastActivity;

    TimeoutToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    @Override
    protected void started() {
        lastActivity = now();
        arm();
    }

    @Override
    protected void onData(Chunk chunk) {
        drop(chunk);
        lastActivity = now();
    }

    @Override
    protected void onEnd(boolean reset) {
        cancel();
        forwardEnd(reset);
    }

    @Override
    protected void flush() {
        cancel();
    }

    @Override
    protected void reconfigure() {
        lastActivity = now();
        arm();
    }

    @Override
    void removed() {
        cancel();
        endStream(false);
    }

    @Override
    void dispose() {
        super.dispose();
        cancel();
    }

    private void arm() {
        cancel();
        long timeout = attribute("timeout");
        if (timeout <= 0) {
            return;
        }
        timer = schedule(lastActivity + millisToNanos(timeout) - now(), () -> {
            timer = null;
            if (now() - lastActivity >= millisToNanos(timeout)) {
                endStream(false);
            } else {
                arm();
            }
        });
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
