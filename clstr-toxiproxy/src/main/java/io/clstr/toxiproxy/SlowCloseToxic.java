package io.clstr.toxiproxy;

/** Passes data on at once but holds the end of the stream for {@code delay} milliseconds. */
final class SlowCloseToxic extends Toxic {
    private Timers.Task timer;
    private boolean holdingEnd;
    private boolean resetEnd;
    private long endArrived;

    SlowCloseToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    @Override
    protected void onData(Chunk chunk) {
        forward(chunk);
    }

    @Override
    protected void onEnd(boolean reset) {
        holdingEnd = true;
        resetEnd = reset;
        endArrived = now();
        arm();
    }

    @Override
    protected void flush() {
        cancel();
        if (holdingEnd) {
            holdingEnd = false;
            forwardEnd(resetEnd);
        }
    }

    @Override
    protected void reconfigure() {
        if (holdingEnd) {
            arm();
        }
    }

    @Override
    void dispose() {
        super.dispose();
        cancel();
    }

    private void arm() {
        cancel();
        long due = endArrived + millisToNanos(attribute("delay"));
        timer = schedule(due - now(), () -> {
            timer = null;
            holdingEnd = false;
            forwardEnd(resetEnd);
        });
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
