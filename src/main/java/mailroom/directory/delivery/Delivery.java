package mailroom.directory.delivery;

import java.util.List;
import java.util.Optional;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryStore;

/**
 * What a mail system asks of the directory, message by message: which domains and mailboxes exist, what
 * an address resolves or expands to, who may send as an address, and who may send to a mail group.
 * Look-ups name tenants by their addresses, so they take no caller; every answer is read from the store
 * in one transaction and so reflects every write acknowledged before it.
 */
public final class Delivery {
    private final DirectoryStore store;

    public Delivery(DirectoryStore store) {
        this.store = store;
    }

    /** Whether some tenant owns the domain. */
    public boolean domainExists(String domain) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The primary address of the deliverable mailbox (user or public, in service) the address names. */
    public Optional<String> mailbox(String address, DeliveryRules rules) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Where mail to an alias, a group, or a catch-all's domain goes; NOT_FOUND for a mailbox's own address. */
    public AliasAnswer alias(String address, DeliveryRules rules) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The logins allowed to send as the address (empty when none may). */
    public List<String> senders(String address) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Whether the sender (SASL login and envelope sender, either may be null) may send to the recipient. */
    public SendDecision maySend(String recipient, String login, String envelopeSender, DeliveryRules rules) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** A group's expansion as the mail system would see it, for the tenant's own tools. */
    public Expansion expansion(Caller caller, String groupRef, DeliveryRules rules) {
        throw new UnsupportedOperationException("not built yet");
    }
}
