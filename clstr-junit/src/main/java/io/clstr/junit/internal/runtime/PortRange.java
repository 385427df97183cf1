package io.clstr.junit.internal.runtime;

import io.clstr.junit.SetupException;
import io.clstr.junit.internal.config.Settings;

/**
 * The ports clstr may give to nodes and proxies: {@code first} to {@code last}, both included.
 * The default, 20000–29999, lies below Linux's ephemeral range (32768–60999), so outgoing
 * connections never take a port a node is about to listen on.
 */
public record PortRange(int first, int last) {

    /** 20000–29999. */
    public static final PortRange DEFAULT = new PortRange(20000, 29999);

    public PortRange {
        if (first < 1024 || last > 65535 || first > last) {
            throw new SetupException("bad port range " + first + "-" + last
                    + ": use FIRST-LAST with 1024 <= FIRST <= LAST <= 65535, such as 20000-29999");
        }
    }

    /** Parses {@code FIRST-LAST}, as given in {@value Settings#PORTS}; a bad value throws {@link SetupException}. */
    public static PortRange parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int dash = trimmed.indexOf('-');
        try {
            if (dash > 0) {
                return new PortRange(
                        Integer.parseInt(trimmed.substring(0, dash).trim()),
                        Integer.parseInt(trimmed.substring(dash + 1).trim()));
            }
        } catch (NumberFormatException e) {
            // reported below with what is allowed
        }
        throw new SetupException("bad value for " + Settings.PORTS + ": '" + text
                + "'; use FIRST-LAST with 1024 <= FIRST <= LAST <= 65535, such as 20000-29999");
    }

    /** How many ports the range holds. */
    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
