package mailroom.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import mailroom.directory.webhook.WebhookTargets;
import mailroom.mta.ClientNetworks;

/**
 * Webhook targets restricted to networks: every address the URL's host resolves to must lie in one of them,
 * checked when a webhook is saved and again before each delivery (a name may resolve elsewhere by then).
 */
public final class NetworkTargets implements WebhookTargets {
    private final ClientNetworks networks;

    public NetworkTargets(ClientNetworks networks) {
        this.networks = networks;
    }

    /** The policy for the networks given, or any host when there are none. */
    public static WebhookTargets of(ClientNetworks networks) {
        return networks == null ? WebhookTargets.ANY : new NetworkTargets(networks);
    }

    @Override
    public Optional<String> refusal(URI url) {
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve: " + host);
        }
        for (InetAddress a : addresses) {
            if (!networks.allows(a)) {
                return Optional.of("resolves to " + a.getHostAddress() + ", outside the webhook networks (" + networks + ")");
            }
        }
        return Optional.empty();
    }
}
