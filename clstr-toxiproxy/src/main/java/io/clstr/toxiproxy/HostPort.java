package io.clstr.toxiproxy;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses and formats the {@code host:port} strings of the API ({@code [v6]:port} for IPv6 literals). */
final class HostPort {
    private HostPort() {}

    /**
     * Resolves a listen address; an empty host (or an empty address) means every interface, as in Toxiproxy. The
     * message of the failure says why the address cannot be used.
     */
    static InetSocketAddress listenAddress(String listen) throws IOException {
        if (listen.isEmpty()) {
            return new InetSocketAddress(0);
        }
        String[] parts = split(listen);
        if (parts == null) {
            throw new IOException("listen tcp " + listen + ": missing port in address");
        }
        int port = port(parts[1]);
        if (port < 0) {
            throw new IOException("listen tcp " + listen + ": invalid port " + parts[1]);
        }
        if (parts[0].isEmpty()) {
            return new InetSocketAddress(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(parts[0]), port);
        } catch (UnknownHostException e) {
            throw new IOException("listen tcp " + listen + ": no such host " + parts[0], e);
        }
    }

    /** The address to connect to for an upstream: unresolved when its host has no address, null when malformed. */
    static InetSocketAddress upstreamAddress(String upstream) {
        String[] parts = split(upstream);
        if (parts == null || port(parts[1]) < 0) {
            return null;
        }
        int port = port(parts[1]);
        String host = parts[0].isEmpty() ? "127.0.0.1" : parts[0];
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    /** How a bound address is reported: {@code 127.0.0.1:8474}, {@code [::1]:8474}, {@code [::]:8474}. */
    static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host;
        if (ip == null) {
            host = address.getHostString();
        } else if (ip.isAnyLocalAddress()) {
            host = ip instanceof Inet6Address ? "[::]" : "0.0.0.0";
        } else if (ip instanceof Inet6Address) {
            host = "[" + ip.getHostAddress() + "]";
        } else {
            host = ip.getHostAddress();
        }
        return host + ":" + address.getPort();
    }

    private static String[] split(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return null;
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : -1;
    }
}
