package mailroom.directory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Model.*;

/** User mailboxes and their aliases; the mailbox address is also the user's login account. */
public final class UserMailboxes {
    /** Default quota for a new mailbox: 50 GiB, in bytes. */
    public static final long DEFAULT_QUOTA_BYTES = 50L * 1024 * 1024 * 1024;

    private final DirectoryStore store;
    private final Clock clock;

    private final Aliases aliases;

    UserMailboxes(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.aliases = new Aliases(store, clock, AddressKind.USER_ALIAS, (r, tenantKey, ref) -> {
            UserMailbox mailbox = requireInService(r, tenantKey, ref);
            return new Namespace.Owner(mailbox.id(), mailbox.email());
        });
    }

    /** Claims the address and stores the mailbox; the caller's transaction makes both or neither. */
    static UserMailbox createMailbox(Records r, Caller caller, Tenant tenant, Address address, String userRef,
                                     String firstName, String lastName, long now) {
        Domain domain = Namespace.domainOf(r, tenant.key(), address);
        String id = Ids.uuid();
        Namespace.claim(r, tenant.key(), address, AddressKind.USER_MAILBOX, id, false, now);
        UserMailbox mailbox = new UserMailbox(id, tenant.key(), address.toString(), domain.id(), domain.name(), userRef,
                firstName, lastName, MailboxStatus.ACTIVE, DEFAULT_QUOTA_BYTES, 0, now, now);
        r.mailboxes().insert(mailbox);
        Journal.created(r, caller, now, ObjectKind.USER_MAILBOX, id, state(r, mailbox));
        return mailbox;
    }

    static UserMailbox require(Records r, String tenantKey, String idOrEmail) {
        return Address.lookupKey(idOrEmail).flatMap(key -> r.mailboxes().find(tenantKey, key))
                .orElseThrow(() -> new DirectoryException(Reason.USER_MAILBOX_NOT_FOUND, "user mailbox not found"));
    }

    /** A mailbox in service; one in the recycle bin is "not found" for everything but release. */
    static UserMailbox requireInService(Records r, String tenantKey, String idOrEmail) {
        UserMailbox mailbox = require(r, tenantKey, idOrEmail);
        if (mailbox.status() == MailboxStatus.RECYCLED) {
            throw new DirectoryException(Reason.USER_MAILBOX_NOT_FOUND, "user mailbox not found");
        }
        return mailbox;
    }

    /**
     * Deletes a mailbox the recoverable way: it goes to the recycle bin, out of service, while its
     * address and aliases stay reserved (users/query answers "in recycle bin") until it is released.
     * A mailbox already in the recycle bin is not found.
     */
    public UserMailbox moveToRecycleBin(Caller caller, String idOrEmail) {
        long now = clock.millis();
        return store.writeTenant(caller.tenantKey(), r ->
                recycle(r, caller, requireInService(r, caller.tenantKey(), idOrEmail), now));
    }

    /** The one way a mailbox enters the recycle bin, whichever door asked. */
    static UserMailbox recycle(Records r, Caller caller, UserMailbox m, long now) {
        return save(r, caller, m, m.firstName(), m.lastName(), MailboxStatus.RECYCLED, now);
    }

    /** Stores new names and status of a mailbox; the one place a mailbox row changes. */
    static UserMailbox save(Records r, Caller caller, UserMailbox m, String first, String last, MailboxStatus status,
                            long now) {
        UserMailbox changed = new UserMailbox(m.id(), m.tenantKey(), m.email(), m.domainId(), m.domainName(),
                m.userRef(), first, last, status, m.quotaAllowed(), m.quotaUsed(), m.createdAt(), now);
        r.mailboxes().update(changed);
        if (status == MailboxStatus.RECYCLED && m.status() != MailboxStatus.RECYCLED) {
            Journal.recycled(r, caller, now, ObjectKind.USER_MAILBOX, m.id(), state(r, m), state(r, changed));
        } else {
            Journal.updated(r, caller, now, ObjectKind.USER_MAILBOX, m.id(), state(r, m), state(r, changed));
        }
        return changed;
    }

    /** The mailbox as the journal shows it: its user by user_id, never by internal id. */
    static java.util.Map<String, Object> state(Records r, UserMailbox m) {
        String userId = m.userRef() == null ? null : r.tenants().userById(m.userRef()).map(User::userId).orElse(null);
        return States.userMailbox(m, userId);
    }

    /**
     * Permanently removes a mailbox that is in the recycle bin, with its aliases and the member entries
     * that name its addresses, so the address can be used again. {@code transferMailbox}, when given,
     * must be an in-service address of the tenant (Mailroom keeps no mail, so nothing else moves).
     */
    public void release(Caller caller, String idOrEmail, String transferMailbox) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            UserMailbox mailbox = require(r, tenantKey, idOrEmail);
            if (mailbox.status() != MailboxStatus.RECYCLED) {
                throw new DirectoryException(Reason.NOT_IN_RECYCLE_BIN,
                        "user mailbox " + mailbox.email() + " is not in the recycle bin");
            }
            if (transferMailbox != null && !transferMailbox.isBlank()) {
                RecycleBin.forwardTarget(r, tenantKey, transferMailbox, mailbox.id(), "transfer_mailbox");
            }
            Namespace.releaseAll(r, caller, new Namespace.Owner(mailbox.id(), mailbox.email()), now);
            r.mailboxes().delete(mailbox.id());
            Journal.deleted(r, caller, now, ObjectKind.USER_MAILBOX, mailbox.id(), state(r, mailbox));
            return null;
        });
    }

    /** The mailbox's aliases: add, list and remove (a mailbox in the recycle bin is not found). */
    public Aliases aliases() {
        return aliases;
    }
}
