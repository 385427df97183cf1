package io.clstr.toxiproxy;

import java.util.List;
import java.util.function.BiFunction;

/** The toxic types the official client knows, each with its attribute names in the order they are reported. */
enum ToxicType {
    LATENCY("latency", LatencyToxic::new, "latency", "jitter"),
    BANDWIDTH("bandwidth", BandwidthToxic::new, "rate"),
    SLOW_CLOSE("slow_close", SlowCloseToxic::new, "delay"),
    TIMEOUT("timeout", TimeoutToxic::new, "timeout"),
    RESET_PEER("reset_peer", ResetPeerToxic::new, "timeout"),
    SLICER("slicer", SlicerToxic::new, "average_size", "size_variation", "delay"),
    LIMIT_DATA("limit_data", LimitDataToxic::new, "bytes");

    private final String wireName;
    private final BiFunction<ToxicSpec, Link, Toxic> factory;
    private final List<String> attributes;

    ToxicType(String wireName, BiFunction<ToxicSpec, Link, Toxic> factory, String... attributes) {
        this.wireName = wireName;
        this.factory = factory;
        this.attributes = List.of(attributes);
    }

    String wireName() {
        return wireName;
    }

    List<String> attributes() {
        return attributes;
    }

    /** A running instance of this toxic on one link. */
    Toxic create(ToxicSpec spec, Link link) {
        return factory.apply(spec, link);
    }

    /** The type with this exact wire name, or null. */
    static ToxicType fromWire(String name) {
        for (ToxicType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}
