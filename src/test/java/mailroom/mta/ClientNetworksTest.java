package mailroom.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --mta-clients matches client addresses by prefix, IPv4 and IPv6, an IPv4-mapped IPv6 client as IPv4. */
class ClientNetworksTest {
    private static boolean allows(String networks, String client) throws Exception {
        return ClientNetworks.parse(networks).allows(InetAddress.getByName(client));
    }

    @Test
    void theDefaultAllowsOnlyLoopback() throws Exception {
        assertThat(allows(ClientNetworks.DEFAULT, "127.0.0.1")).isTrue();
        assertThat(allows(ClientNetworks.DEFAULT, "127.255.1.2")).isTrue();
        assertThat(allows(ClientNetworks.DEFAULT, "::1")).isTrue();
        assertThat(allows(ClientNetworks.DEFAULT, "::ffff:127.0.0.1")).isTrue();
        assertThat(allows(ClientNetworks.DEFAULT, "10.0.0.1")).isFalse();
        assertThat(allows(ClientNetworks.DEFAULT, "::2")).isFalse();
    }

    @Test
    void aPrefixThatIsNotAWholeNumberOfBytesIsMatchedBitByBit() throws Exception {
        assertThat(allows("192.168.4.0/22", "192.168.7.255")).isTrue();
        assertThat(allows("192.168.4.0/22", "192.168.8.0")).isFalse();
        assertThat(allows("2001:db8::/33", "2001:db8:7fff::1")).isTrue();
        assertThat(allows("2001:db8::/33", "2001:db8:8000::1")).isFalse();
        assertThat(allows("10.1.2.3", "10.1.2.3")).as("a bare address is a /32").isTrue();
        assertThat(allows("0.0.0.0/0", "203.0.113.9")).isTrue();
    }

    @Test
    void legacyIpv4FormsAreRefusedAndAnIpv4MappedNetworkIsReadAsIpv4() throws Exception {
        for (String legacy : List.of("127.1", "10", "127.0.1/8", "0x7f.0.0.1")) {
            assertThatThrownBy(() -> ClientNetworks.parse(legacy)).as(legacy)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a numeric CIDR");
        }
        assertThat(allows("::ffff:127.0.0.0/104", "127.9.9.9")).isTrue();
        assertThat(allows("::ffff:127.0.0.0/104", "128.0.0.1")).isFalse();
        assertThat(allows("::ffff:127.0.0.0/104", "::ffff:127.0.0.5")).isTrue();
    }
}
