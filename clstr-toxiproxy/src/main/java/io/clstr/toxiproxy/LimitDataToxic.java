package io.clstr.toxiproxy;

/** Passes on the first {@code bytes} bytes of the stream, then closes the connection. */
final class LimitDataToxic extends Toxic {
    private long transmitted;

    LimitDataToxic(ToxicSpec spec, Link link) {
        super(spec, link);
    }

    @Override
    protected void onData(Chunk chunk) {
        long limit = attribute("bytes");
        long remaining = Math.max(0, limit - transmitted);
        Chunk passed = chunk;
        if (remaining < chunk.length()) {
            int kept = (int) remaining;
            link.release(chunk.length() - kept);
            passed = kept > 0 ? chunk.slice(0, kept) : null;
        }
        if (passed != null) {
            transmitted += passed.length();
            forward(passed);
        }
        if (limit - transmitted <= 0) {
            endStream(false);
        }
    }
}
