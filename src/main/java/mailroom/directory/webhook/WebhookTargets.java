package mailroom.directory.webhook;

import java.net.URI;
import java.util.Optional;

/**
 * Which URLs a webhook may deliver to, beyond being http(s): the server's network policy, applied when a
 * webhook is created or moved and again before each delivery (a name may resolve elsewhere by then).
 */
@FunctionalInterface
public interface WebhookTargets {
    /** Any host. */
    WebhookTargets ANY = url -> Optional.empty();

    /** Why the URL may not be delivered to, or empty when it may. */
    Optional<String> refusal(URI url);
}
