package io.clstr.junit.network;

/**
 * A way to degrade what a node sends, applied with {@code cluster.impair(...)}.
 *
 * <p>{@link #loss(double)} is an approximation: Toxiproxy draws toxicity once per
 * connection, so each new connection leaving the node is black-holed with probability
 * {@code p}. That is message loss for a node that opens a connection per RPC, and
 * connection loss for a node that pools connections.
 */
public sealed interface Impairment {

    /** Each chunk the node sends is held {@code millis} ± {@code jitterMillis}. */
    static Impairment latency(long millis, long jitterMillis) {
        return new Latency(millis, jitterMillis);
    }

    /** Each chunk the node sends is held {@code millis}. */
    static Impairment latency(long millis) {
        return new Latency(millis, 0);
    }

    /** What the node sends is throttled to {@code kilobytesPerSecond} (1 KB = 1000 bytes). */
    static Impairment bandwidth(long kilobytesPerSecond) {
        return new Bandwidth(kilobytesPerSecond);
    }

    /** Each new connection leaving the node is black-holed with probability {@code p} (see the class doc). */
    static Impairment loss(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("loss probability must be within 0..1, was " + p);
        }
        return new Loss(p);
    }

    /** The toxic type this impairment uses; one impairment of each type per stream. */
    String toxicType();

    /** How the timeline shows it, such as {@code latency 100ms}. */
    String describe();

    record Latency(long millis, long jitterMillis) implements Impairment {
        @Override
        public String toxicType() {
            return "latency";
        }

        @Override
        public String describe() {
            return "latency " + millis + "ms" + (jitterMillis > 0 ? " ±" + jitterMillis + "ms" : "");
        }
    }

    record Bandwidth(long kilobytesPerSecond) implements Impairment {
        @Override
        public String toxicType() {
            return "bandwidth";
        }

        @Override
        public String describe() {
            return "bandwidth " + kilobytesPerSecond + "KB/s";
        }
    }

    record Loss(double p) implements Impairment {
        @Override
        public String toxicType() {
            return "timeout";
        }

        @Override
        public String describe() {
            return "loss " + Math.round(p * 100) + "%";
        }
    }
}
