package io.clstr.toxiproxy;

/** Derives the seeds of per-connection random generators from the server's seed, so a run's draws can be replayed. */
final class Seeds {
    private Seeds() {}

    /** The seed of one direction of the n-th connection a proxy accepted. */
    static long forLink(long serverSeed, String proxyName, long connectionIndex, Direction direction) {
        long seed = mix(serverSeed ^ mix(proxyName.hashCode()));
        seed = mix(seed ^ mix(connectionIndex + 1));
        return mix(seed ^ (direction.ordinal() + 1L) * 0x9E3779B97F4A7C15L);
    }

    /** The SplitMix64 finaliser: spreads every input bit over the whole result. */
    static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
