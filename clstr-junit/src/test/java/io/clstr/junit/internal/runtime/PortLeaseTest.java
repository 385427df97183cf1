package io.clstr.junit.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.SetupException;
import io.clstr.junit.testnode.ChildJvm;
import io.clstr.junit.testnode.PortHolder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortLeaseTest {
    private static final PortRange RANGE = Fixture.TEST_PORTS;

    @Test
    void claimsDistinctFreePortsInTheRange() throws Exception {
        try (PortLease lease = PortLease.claim(8, RANGE)) {
            assertThat(lease.ports()).hasSize(8).doesNotHaveDuplicates().allMatch(RANGE::contains);
            for (int port : lease.ports()) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(port)); // claimed ports stay free for the node to bind
                }
            }
        }
    }

    @Test
    void twoLeasesNeverOverlap() {
        try (PortLease a = PortLease.claim(30, RANGE);
                PortLease b = PortLease.claim(30, RANGE)) {
            Set<Integer> union = new HashSet<>(a.ports());
            union.addAll(b.ports());
            assertThat(union).hasSize(60);
        }
    }

    @Test
    void aClaimedPortIsNotClaimedAgainUntilTheLeaseCloses() {
        int port;
        try (PortLease first = PortLease.claim(1, RANGE)) {
            port = first.ports().get(0);
            PortRange one = new PortRange(port, port);
            assertThatThrownBy(() -> PortLease.claim(1, one))
                    .isInstanceOf(SetupException.class)
                    .hasMessageStartingWith("no free ports in " + port + "-" + port + ": needed 1, found 0");
            // the failed attempt must not have dropped the first lease's OS lock
            assertThatThrownBy(() -> PortLease.claim(1, one)).isInstanceOf(SetupException.class);
        }
        try (PortLease again = PortLease.claim(1, new PortRange(port, port))) {
            assertThat(again.ports()).containsExactly(port);
        }
    }

    @Test
    void aPortInUseIsSkipped() throws Exception {
        try (PortLease probe = PortLease.claim(1, RANGE)) {
            int port = probe.ports().get(0);
            probe.close();
            try (ServerSocket busy = new ServerSocket()) {
                busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThatThrownBy(() -> PortLease.claim(1, new PortRange(port, port)))
                        .isInstanceOf(SetupException.class)
                        .hasMessageContaining("no free ports in " + port + "-" + port)
                        .hasMessageContaining("-Dclstr.ports=FIRST-LAST");
            }
        }
    }

    @Test
    void aLockHeldByAnotherJvmKeepsThePortUntilThatJvmDies() throws Exception {
        int port;
        try (PortLease probe = PortLease.claim(1, RANGE)) {
            port = probe.ports().get(0);
        }
        PortRange one = new PortRange(port, port);
        try (ChildJvm holder = ChildJvm.start(PortHolder.class, one.toString())) {
            assertThat(holder.awaitLine("claimed", Fixture.STARTUP)).isEqualTo("claimed " + port);

            assertThatThrownBy(() -> PortLease.claim(1, one)).isInstanceOf(SetupException.class);

            holder.process().destroyForcibly();
            holder.awaitExit(Duration.ofSeconds(30));
            try (PortLease after = PortLease.claim(1, one)) {
                assertThat(after.ports()).containsExactly(port);
            }
        }
    }

    @Test
    void portRangeParsesAndValidates() {
        assertThat(PortRange.parse(" 20000-29999 ")).isEqualTo(PortRange.DEFAULT);
        assertThat(PortRange.DEFAULT.size()).isEqualTo(10000);
        assertThat(PortRange.DEFAULT).hasToString("20000-29999");
        for (String bad : List.of("", "20000", "a-b", "30000-20000", "80-90", "60000-70000")) {
            assertThatThrownBy(() -> PortRange.parse(bad))
                    .isInstanceOf(SetupException.class)
                    .hasMessageContaining("FIRST-LAST");
        }
    }
}
