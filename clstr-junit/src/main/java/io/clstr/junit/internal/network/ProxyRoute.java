package io.clstr.junit.internal.network;

/**
 * The proxy carrying one node's traffic to another.
 *
 * @param from     the sending node, {@code n1}
 * @param to       the receiving node, {@code n2}
 * @param listen   where the Toxiproxy server listens for it (as the server sees it)
 * @param upstream the receiving node's address (as the server sees it)
 * @param route    the address the sending node is given for the receiver (in PEERS and ROUTES)
 */
public record ProxyRoute(String from, String to, String listen, String upstream, String route) {

    /** The proxy's name, {@code n1-n2}. */
    public String name() {
        return from + "-" + to;
    }
}
