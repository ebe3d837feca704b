package mailroom.mta;

/**
 * A listen address as operators write it ("127.0.0.1:10023", "[::1]:10023", "localhost:0"), and as
 * Postfix's {@code inet:} table syntax wants it back, brackets around an IPv6 host included.
 */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("a host is required");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
    }

    /** Reads HOST:PORT; refuses anything else with a message fit for the command line. */
    public static HostPort parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new IllegalArgumentException("write an IPv6 host in brackets: [::1]:PORT, got '" + text + "'");
        try {
            return new HostPort(host, Integer.parseInt(t.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT with a numeric port, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
