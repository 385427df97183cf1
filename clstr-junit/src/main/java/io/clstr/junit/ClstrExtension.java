package io.clstr.junit;

import org.junit.jupiter.api.extension.Extension;

/** The JUnit 5 extension behind {@link ClstrCluster}. */
public final class ClstrExtension implements Extension {
}
