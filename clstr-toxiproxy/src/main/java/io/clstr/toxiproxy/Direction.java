package io.clstr.toxiproxy;

/** Which way bytes flow through a proxy: from the client to the upstream server, or back. */
enum Direction {
    UPSTREAM("upstream"),
    DOWNSTREAM("downstream");

    private final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The direction named on the wire, ignoring case, or null when the name is none of them. */
    static Direction fromWire(String name) {
        for (Direction direction : values()) {
            if (direction.wireName.equalsIgnoreCase(name)) {
                return direction;
            }
        }
        return null;
    }
}
