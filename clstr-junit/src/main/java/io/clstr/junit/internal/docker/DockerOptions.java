package io.clstr.junit.internal.docker;

import io.clstr.junit.SetupException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings of the docker runtime, read like every clstr setting (JUnit configuration parameter, else system
 * property).
 *
 * @param subnet         the nodes' network, {@value #DEFAULT_SUBNET} by default
 * @param toxiproxyImage the Toxiproxy server's image, {@value #DEFAULT_TOXIPROXY_IMAGE} by default
 */
public record DockerOptions(Subnet subnet, String toxiproxyImage) {
    /** The nodes' network as a CIDR block of at least 256 addresses, such as {@code 10.0.42.0/24}. */
    public static final String SUBNET = "clstr.subnet";
    /** The Toxiproxy image; when the default cannot be had, clstr builds and uses {@link ToxiproxyImage#LOCAL}. */
    public static final String TOXIPROXY_IMAGE = "clstr.toxiproxyImage";

    public static final String DEFAULT_SUBNET = "10.0.42.0/24";
    public static final String DEFAULT_TOXIPROXY_IMAGE = "ghcr.io/shopify/toxiproxy:2.12.0";

    public DockerOptions {
        if (toxiproxyImage == null || toxiproxyImage.isBlank()) {
            throw new SetupException(TOXIPROXY_IMAGE + " must name an image, was `" + toxiproxyImage + "`");
        }
    }

    /** The defaults. */
    public static DockerOptions defaults() {
        return new DockerOptions(Subnet.parse(DEFAULT_SUBNET), DEFAULT_TOXIPROXY_IMAGE);
    }

    /** Reads the settings through {@code parameters} (a name to its value, if set). */
    public static DockerOptions from(Function<String, Optional<String>> parameters) {
        return new DockerOptions(
                Subnet.parse(parameters.apply(SUBNET).orElse(DEFAULT_SUBNET)),
                parameters
                        .apply(TOXIPROXY_IMAGE)
                        .orElse(DEFAULT_TOXIPROXY_IMAGE)
                        .trim());
    }

    /** True when the Toxiproxy image is the default one, which may be replaced by the local substitute. */
    boolean defaultToxiproxyImage() {
        return toxiproxyImage.equals(DEFAULT_TOXIPROXY_IMAGE);
    }
}
