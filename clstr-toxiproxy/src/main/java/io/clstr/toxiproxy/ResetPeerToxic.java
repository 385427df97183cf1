package io.clstr.toxiproxy;

/**
 * Drops data; {@code timeout} milliseconds after the first data (or the end of the stream) arrived, resets the
 * connection: both sockets are closed with a TCP RST.
 */
final class ResetPeerToxic extends Toxic {
    private Timers.Task timer;
    private long triggered = -1;
    private boolean endArrived;

    ResetPeerToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    @Override
    protected void onData(Chunk chunk) {
        drop(chunk);
        trigger();
    }

    @Override
    protected void onEnd(boolean reset) {
        endArrived = true;
        trigger();
    }

    @Override
    protected void flush() {
        cancel();
        triggered = -1;
        if (endArrived) {
            forwardEnd(false);
        }
    }

    @Override
    protected void reconfigure() {
        if (triggered >= 0) {
            arm();
        }
    }

    @Override
    void dispose() {
        super.dispose();
        cancel();
    }

    private void trigger() {
        if (triggered < 0) {
            triggered = now();
            arm();
        }
    }

    private void arm() {
        cancel();
        timer = schedule(triggered + millisToNanos(attribute("timeout")) - now(), () -> {
            timer = null;
            endStream(true);
        });
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
