package io.clstr.junit.internal.docker;

import io.clstr.junit.SetupException;

/**
 * The docker runtime's IPv4 network: the gateway at .1, the Toxiproxy container at .2, node nN at .(100+N),
 * and the engine's dynamic assignments kept to .192 and above (DESIGN.md §3).
 */
public final class Subnet {
    /** Node numbers above this would reach the dynamic range. */
    static final int MAX_NODES = 91;

    private static final int TOXIPROXY = 2;
    private static final int NODES = 100;
    private static final int DYNAMIC = 192;

    private final int base;
    private final int prefix;

    private Subnet(int base, int prefix) {
        this.base = base;
        this.prefix = prefix;
    }

    /** Parses {@code a.b.c.d/p} with p at most 24 and no host bits set. */
    public static Subnet parse(String cidr) {
        String[] parts = cidr.trim().split("/");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("no prefix");
            }
            int prefix = Integer.parseInt(parts[1]);
            int base = address(parts[0]);
            if (prefix < 8 || prefix > 24) {
                throw new IllegalArgumentException("the prefix must be 8 to 24");
            }
            if ((base & ~mask(prefix)) != 0) {
                throw new IllegalArgumentException("host bits are set");
            }
            return new Subnet(base, prefix);
        } catch (IllegalArgumentException e) {
            throw new SetupException(DockerOptions.SUBNET + " must be an IPv4 block of at least 256 addresses such as "
                    + DockerOptions.DEFAULT_SUBNET + ", was `" + cidr + "` (" + e.getMessage() + ")");
        }
    }

    /** {@code 10.0.42.0/24}. */
    public String cidr() {
        return dotted(base) + "/" + prefix;
    }

    /** The gateway (the host's side of the bridge). */
    String gateway() {
        return dotted(base + 1);
    }

    /** The Toxiproxy container's address. */
    public String toxiproxy() {
        return dotted(base + TOXIPROXY);
    }

    /** Node nN's address. */
    public String node(int number) {
        if (number < 1 || number > MAX_NODES) {
            throw new IllegalArgumentException("the docker runtime runs n1…n" + MAX_NODES + ", not n" + number);
        }
        return dotted(base + NODES + number);
    }

    /** Where the engine may assign addresses on its own: {@code .192/26}. */
    String dynamicRange() {
        return dotted(base + DYNAMIC) + "/26";
    }

    @Override
    public String toString() {
        return cidr();
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static int address(String dotted) {
        String[] octets = dotted.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address");
        }
        int value = 0;
        for (String octet : octets) {
            int o = Integer.parseInt(octet);
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("octet out of range");
            }
            value = value << 8 | o;
        }
        return value;
    }

    private static String dotted(int value) {
        return (value >>> 24) + "." + (value >>> 16 & 255) + "." + (value >>> 8 & 255) + "." + (value & 255);
    }
}
