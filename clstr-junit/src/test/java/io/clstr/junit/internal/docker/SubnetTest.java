package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.SetupException;
import org.junit.jupiter.api.Test;

class SubnetTest {

    @Test
    void placesTheGatewayTheToxiproxyAndTheNodesAwayFromDynamicAddresses() {
        Subnet subnet = Subnet.parse("10.0.42.0/24");
        assertThat(subnet.cidr()).isEqualTo("10.0.42.0/24");
        assertThat(subnet.gateway()).isEqualTo("10.0.42.1");
        assertThat(subnet.toxiproxy()).isEqualTo("10.0.42.2");
        assertThat(subnet.node(1)).isEqualTo("10.0.42.101");
        assertThat(subnet.node(5)).isEqualTo("10.0.42.105");
        assertThat(subnet.dynamicRange()).isEqualTo("10.0.42.192/26");
        assertThat(Subnet.parse(" 172.30.0.0/16 ").node(2)).isEqualTo("172.30.0.102");
    }

    @Test
    void refusesWhatIsNotABlockOfAtLeast256Addresses() {
        for (String bad : new String[] {"10.0.42.0", "10.0.42.0/25", "10.0.42.7/24", "10.0.300.0/24", "net/24", "/"}) {
            assertThatThrownBy(() -> Subnet.parse(bad))
                    .as(bad)
                    .isInstanceOf(SetupException.class)
                    .hasMessageStartingWith("clstr.subnet must be an IPv4 block of at least 256 addresses such as "
                            + "10.0.42.0/24, was `" + bad + "`");
        }
    }

    @Test
    void nodesStopBeforeTheDynamicRange() {
        Subnet subnet = Subnet.parse("10.0.42.0/24");
        assertThat(subnet.node(Subnet.MAX_NODES)).isEqualTo("10.0.42.191");
        assertThatThrownBy(() -> subnet.node(Subnet.MAX_NODES + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
