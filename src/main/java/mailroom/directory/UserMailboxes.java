package mailroom.directory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import mailroom.directory.Model.*;

/** User mailboxes and their aliases; the mailbox address is also the user's login account. */
public final class UserMailboxes {
    /** Default quota for a new mailbox: 50 GiB, in bytes. */
    public static final long DEFAULT_QUOTA_BYTES = 50L * 1024 * 1024 * 1024;

    private final DirectoryStore store;
    private final Clock clock;

    UserMailboxes(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Claims the address and stores the mailbox; the caller's transaction makes both or neither. */
    static UserMailbox createMailbox(Records r, Tenant tenant, Address address, String userRef, String firstName,
                                     String lastName, long now) {
        Domain domain = Namespace.domainOf(r, tenant.key(), address);
        String id = Ids.uuid();
        Namespace.claim(r, tenant.key(), address, AddressKind.USER_MAILBOX, id, false, now);
        UserMailbox mailbox = new UserMailbox(id, tenant.key(), address.toString(), domain.id(), domain.name(), userRef,
                firstName, lastName, MailboxStatus.ACTIVE, DEFAULT_QUOTA_BYTES, 0, now, now);
        r.mailboxes().insert(mailbox);
        return mailbox;
    }

    static UserMailbox require(Records r, String tenantKey, String idOrEmail) {
        String key = idOrEmail == null ? "" : idOrEmail.trim();
        return r.mailboxes().find(tenantKey, key.contains("@") ? key.toLowerCase(Locale.ROOT) : key)
                .orElseThrow(() -> new DirectoryException(Reason.USER_MAILBOX_NOT_FOUND, "user mailbox not found"));
    }

    public Alias addAlias(String tenantKey, String mailboxRef, String alias) {
        long now = clock.millis();
        return store.write(r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            UserMailbox mailbox = require(r, tenantKey, mailboxRef);
            AddressEntry entry = Namespace.addAlias(r, tenant, mailbox.id(), alias, AddressKind.USER_ALIAS, now);
            return new Alias(mailbox.email(), entry.address(), false);
        });
    }

    public List<Alias> aliases(String tenantKey, String mailboxRef) {
        return store.read(r -> {
            UserMailbox mailbox = require(r, tenantKey, mailboxRef);
            return r.addresses().aliasesOf(mailbox.id()).stream()
                    .map(a -> new Alias(mailbox.email(), a.address(), a.catchAll())).toList();
        });
    }

    public void removeAlias(String tenantKey, String mailboxRef, String alias) {
        store.write(r -> {
            Namespace.removeAlias(r, require(r, tenantKey, mailboxRef).id(), alias);
            return null;
        });
    }
}
