package mailroom.mta;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks whose clients the MTA listeners answer. Neither socketmap nor the policy protocol
 * authenticates its client, so the peer address is the only check there is.
 */
public final class ClientNetworks {
    /** Loopback only, IPv4 and IPv6. */
    public static final String DEFAULT = "127.0.0.0/8,::1/128";

    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            for (int i = 0; i < bits / 8; i++) if (address[i] != network[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[bits / 8] & mask) == (network[bits / 8] & mask);
        }
    }

    private final List<Cidr> networks;
    private final String text;

    private ClientNetworks(List<Cidr> networks, String text) {
        this.networks = List.copyOf(networks);
        this.text = text;
    }

    public static ClientNetworks loopback() {
        return parse(DEFAULT);
    }

    /** Reads CIDR[,CIDR…]; only numeric addresses, so parsing never asks DNS. */
    public static ClientNetworks parse(String text) {
        List<Cidr> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int slash = p.indexOf('/');
            String host = slash < 0 ? p : p.substring(0, slash);
            // IPv4 as four dotted numbers only: the resolver would also take "127.1" or "10" (legacy forms
            // that read as other addresses than they seem to).
            boolean ipv4 = host.matches("(\\d{1,3}\\.){3}\\d{1,3}");
            if (!ipv4 && !host.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("not a numeric CIDR: '" + p + "'");
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not a numeric CIDR: '" + p + "'");
            }
            int bits;
            try {
                bits = slash < 0 ? address.length * 8 : Integer.parseInt(p.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length in '" + p + "'");
            }
            // Java reads an IPv4-mapped IPv6 address (::ffff:127.0.0.0) as IPv4: its prefix counts 96 bits fewer.
            if (!ipv4 && address.length == 4 && slash >= 0) bits -= 96;
            if (bits < 0 || bits > address.length * 8) throw new IllegalArgumentException("prefix length out of range in '" + p + "'");
            out.add(new Cidr(address, bits));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("at least one client network is required");
        return new ClientNetworks(out, text.trim());
    }

    public boolean allows(InetAddress client) {
        byte[] address = client.getAddress();
        // An IPv4 client reached over an IPv6 socket arrives as ::ffff:a.b.c.d; match it as IPv4.
        if (address.length == 16 && isMappedIpv4(address)) address = java.util.Arrays.copyOfRange(address, 12, 16);
        for (Cidr c : networks) if (c.contains(address)) return true;
        return false;
    }

    private static boolean isMappedIpv4(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return text;
    }
}
