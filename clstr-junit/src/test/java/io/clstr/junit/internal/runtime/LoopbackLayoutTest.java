package io.clstr.junit.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.internal.network.ProxyRoute;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LoopbackLayoutTest {

    @Test
    void aSingleNodeHasNoProxiesAndNoToxiproxyServer() {
        Set<Thread> before = toxiproxyThreads();
        try (LoopbackLayout layout = LoopbackLayout.create(List.of("n1"), Fixture.TEST_PORTS, 1)) {
            assertThat(layout.routes()).isEmpty();
            assertThat(toxiproxyThreads()).isEqualTo(before);
            assertThatThrownBy(layout::toxiproxy)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no Toxiproxy server");
            assertThat(layout.addr(0)).isEqualTo("127.0.0.1:" + layout.port(0));
        }
    }

    @Test
    void twoNodesGetAProxyEachWayOnAServerThatAnswersUntilTheLayoutCloses() throws Exception {
        Set<Thread> before = toxiproxyThreads();
        LoopbackLayout layout = LoopbackLayout.create(List.of("n1", "n2"), Fixture.TEST_PORTS, 1);
        try {
            assertThat(layout.routes()).extracting(ProxyRoute::name).containsExactly("n1-n2", "n2-n1");
            assertThat(layout.toxiproxy().getProxies()).isEmpty();
            assertThat(toxiproxyThreads()).hasSizeGreaterThan(before.size());
        } finally {
            layout.close();
        }
        assertThat(toxiproxyThreads()).isSubsetOf(before);
    }

    private static Set<Thread> toxiproxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("clstr-toxiproxy"))
                .collect(Collectors.toSet());
    }
}
