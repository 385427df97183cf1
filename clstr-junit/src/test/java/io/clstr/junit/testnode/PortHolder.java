package io.clstr.junit.testnode;

import io.clstr.junit.internal.runtime.PortLease;
import io.clstr.junit.internal.runtime.PortRange;
import java.io.IOException;

/** Claims one port of {@code FIRST-LAST} in a JVM of its own, prints {@code claimed <port>}, and holds it until stdin ends. */
public final class PortHolder {

    private PortHolder() {}

    public static void main(String[] args) throws IOException {
        try (PortLease lease = PortLease.claim(1, PortRange.parse(args[0]))) {
            System.out.println("claimed " + lease.ports().get(0));
            while (System.in.read() != -1) {
                // holds the lease until the parent closes our stdin or kills us
            }
        }
    }
}
