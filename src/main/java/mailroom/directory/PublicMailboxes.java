package mailroom.directory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mailroom.directory.Model.*;

/**
 * Public (shared) mailboxes, their members and aliases, and their recycle-bin lifecycle: a mailbox in
 * the recycle bin is out of service (invisible to everything but release) yet keeps its addresses
 * reserved until it is released.
 */
public final class PublicMailboxes {
    /** Longest display name accepted; Feishu does not document one, so we refuse absurd values only. */
    public static final int MAX_NAME_LENGTH = 255;

    private final DirectoryStore store;
    private final Clock clock;

    private final Aliases aliases;

    PublicMailboxes(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.aliases = new Aliases(store, clock, AddressKind.PUBLIC_ALIAS, (r, tenantKey, ref) -> {
            PublicMailbox box = require(r, tenantKey, ref);
            return new Aliases.Owner(box.id(), box.email());
        });
    }

    /** The fields a client sets; null means "not given". */
    public record Fields(String email, String name, String geo) {}

    /**
     * Creates a mailbox. {@code maySetGeo} tells whether the caller may choose data residency at all;
     * geo is checked before anything else about it: caller permission, tenant multi-geo, allowed list.
     */
    public PublicMailbox create(String tenantKey, Fields fields, boolean maySetGeo) {
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            Address address = Address.parse(fields.email(), "email");
            String name = name(fields.name(), "");
            String geo = geo(tenant, fields.geo(), maySetGeo);
            Namespace.domainOf(r, tenantKey, address);
            if (r.publicMailboxes().count(tenantKey) >= tenant.limits().publicMailboxes()) {
                throw new DirectoryException(Reason.PUBLIC_MAILBOX_LIMIT_REACHED,
                        "the tenant may have at most " + tenant.limits().publicMailboxes() + " public mailboxes");
            }
            String id = Ids.shortId();
            Namespace.claim(r, tenantKey, address, AddressKind.PUBLIC_MAILBOX, id, false, now);
            PublicMailbox box = new PublicMailbox(id, tenantKey, address.toString(), name, geo, MailboxStatus.ACTIVE, null);
            r.publicMailboxes().insert(box, now);
            return box;
        });
    }

    private static String geo(Tenant tenant, String requested, boolean maySetGeo) {
        if (requested == null) return tenant.geo().defaultGeo();
        if (!maySetGeo) {
            throw new DirectoryException(Reason.GEO_NOT_ALLOWED_FOR_APP,
                    "setting geo needs the field scope mail:public_mailbox.public_mailbox_geo", "geo");
        }
        if (!tenant.geo().multiGeo()) {
            throw new DirectoryException(Reason.GEO_NOT_ENABLED, "the tenant has no multi-geo, geo cannot be set", "geo");
        }
        if (!tenant.geo().allowed().contains(requested)) {
            throw new DirectoryException(Reason.GEO_NOT_IN_LIST,
                    "geo " + requested + " is not one of " + tenant.geo().allowed(), "geo");
        }
        return requested;
    }

    private static String name(String requested, String fallback) {
        if (requested == null) return fallback;
        if (requested.length() > MAX_NAME_LENGTH) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT,
                    "name must be at most " + MAX_NAME_LENGTH + " characters", "name");
        }
        return requested;
    }

    public PublicMailbox get(String tenantKey, String idOrEmail) {
        return store.read(r -> require(r, tenantKey, idOrEmail));
    }

    /** Mailboxes in service, oldest first; the recycle bin is not listed. */
    public Page<PublicMailbox> list(String tenantKey, PageRequest page) {
        return store.read(r -> r.publicMailboxes().list(tenantKey, page));
    }

    /**
     * Changes the given fields; with {@code replaceAll} an omitted name becomes empty (PUT). A new
     * address is claimed and the old one stays with the mailbox as an alias (so mail to it still
     * arrives), which is why a change can hit the alias limit.
     */
    public PublicMailbox change(String tenantKey, String idOrEmail, Fields fields, boolean replaceAll) {
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            PublicMailbox current = require(r, tenantKey, idOrEmail);
            String email = current.email();
            if (fields.email() != null) {
                Address address = Address.parse(fields.email(), "email");
                if (!address.toString().equals(current.email())) {
                    email = moveAddress(r, tenant, current, address, now);
                }
            }
            String name = name(fields.name(), replaceAll ? "" : current.name());
            PublicMailbox changed = new PublicMailbox(current.id(), tenantKey, email, name, current.geo(),
                    current.status(), current.toMailAddress());
            r.publicMailboxes().update(changed, now);
            return changed;
        });
    }

    private static String moveAddress(Records r, Tenant tenant, PublicMailbox box, Address target, long now) {
        Namespace.domainOf(r, tenant.key(), target);
        var existing = r.addresses().find(target.toString());
        boolean ownAlias = existing.isPresent() && existing.get().ownerId().equals(box.id());
        // The mailbox's own alias may become its address: the two swap roles, the alias count is unchanged.
        if (ownAlias) r.addresses().delete(target.toString());
        Namespace.claim(r, tenant.key(), target, AddressKind.PUBLIC_MAILBOX, box.id(), false, now);
        if (!ownAlias) {
            if (r.addresses().countAliases(box.id()) >= tenant.limits().aliasesPerAddress()) {
                throw new DirectoryException(Reason.ALIAS_LIMIT_REACHED, "the old address " + box.email()
                        + " would become an alias, but the mailbox already has "
                        + tenant.limits().aliasesPerAddress() + " aliases");
            }
        }
        AddressEntry old = r.addresses().find(box.email()).orElseThrow();
        r.addresses().delete(box.email());
        r.addresses().tryInsert(new AddressEntry(old.address(), old.tenantKey(), old.domainId(),
                AddressKind.PUBLIC_ALIAS, box.id(), false, now));
        return target.toString();
    }

    /**
     * Takes the mailbox out of service. Its address and aliases stay reserved (users/query answers
     * "in recycle bin") and {@code toMailAddress} is remembered as where its mail should go.
     */
    public void moveToRecycleBin(String tenantKey, String idOrEmail, String toMailAddress) {
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            PublicMailbox box = require(r, tenantKey, idOrEmail);
            String target = null;
            if (toMailAddress != null && !toMailAddress.isBlank()) {
                target = RecycleBin.forwardTarget(r, tenantKey, toMailAddress, box.id(), "to_mail_address");
            }
            r.publicMailboxes().update(new PublicMailbox(box.id(), tenantKey, box.email(), box.name(), box.geo(),
                    MailboxStatus.RECYCLED, target), now);
            return null;
        });
    }

    /**
     * Permanently removes a mailbox that is in the recycle bin: its addresses, members, and every
     * mail-group membership or permission that points at it, so that the address can be used again.
     */
    public void release(String tenantKey, String idOrEmail) {
        store.writeTenant(tenantKey, r -> {
            PublicMailbox box = find(r, tenantKey, idOrEmail);
            if (box.status() != MailboxStatus.RECYCLED) {
                throw new DirectoryException(Reason.NOT_IN_RECYCLE_BIN,
                        "public mailbox " + box.email() + " is not in the recycle bin");
            }
            Namespace.releaseAll(r, box.id(), box.email());
            r.mailGroups().deleteMembersReferring(MemberType.PUBLIC_MAILBOX, box.id());
            r.publicMailboxes().delete(box.id());
            return null;
        });
    }

    // ---- members ----

    /**
     * Binds users to the mailbox, all or none. A user already bound keeps its member id; a user that
     * would exceed the per-user limit of bindable mailboxes refuses the whole call.
     */
    public List<PublicMailboxMember> addMembers(String tenantKey, String mailboxRef, List<UserRef> users) {
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            PublicMailbox box = require(r, tenantKey, mailboxRef);
            Map<String, String> memberIds = new LinkedHashMap<>();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                String field = users.size() > 1 ? "items[" + i + "].user_id" : "user_id";
                User user = MailGroups.requireUser(r, tenantKey, users.get(i), field);
                String id = memberIds.get(user.id());
                if (id == null) {
                    String fresh = Ids.shortId();
                    id = r.publicMailboxes().insertMember(box.id(), fresh, user.id(), now);
                    // Only a new binding counts against the user's limit; re-adding a member is a no-op.
                    if (id.equals(fresh) && r.publicMailboxes().countMailboxesOfUser(user.id())
                            > tenant.limits().publicMailboxesPerUser()) {
                        throw new DirectoryException(Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED, "user "
                                + users.get(i).value() + " is already bound to "
                                + tenant.limits().publicMailboxesPerUser() + " public mailboxes", field);
                    }
                    memberIds.put(user.id(), id);
                }
                out.add(id);
            }
            List<PublicMailboxMember> members = new ArrayList<>();
            for (String id : out) members.add(r.publicMailboxes().member(box.id(), id).orElseThrow());
            return members;
        });
    }

    public PublicMailboxMember member(String tenantKey, String mailboxRef, String memberId) {
        return store.read(r -> r.publicMailboxes().member(require(r, tenantKey, mailboxRef).id(), memberId)
                .orElseThrow(() -> memberNotFound(memberId)));
    }

    public Page<PublicMailboxMember> members(String tenantKey, String mailboxRef, PageRequest page) {
        return store.read(r -> r.publicMailboxes().members(require(r, tenantKey, mailboxRef).id(), page));
    }

    /** Removes all given members or none: an unknown id refuses the whole call. */
    public void removeMembers(String tenantKey, String mailboxRef, List<String> memberIds) {
        store.writeTenant(tenantKey, r -> {
            PublicMailbox box = require(r, tenantKey, mailboxRef);
            for (String id : new java.util.LinkedHashSet<>(memberIds)) {
                if (!r.publicMailboxes().deleteMember(box.id(), id)) throw memberNotFound(id);
            }
            return null;
        });
    }

    public void clearMembers(String tenantKey, String mailboxRef) {
        store.writeTenant(tenantKey, r -> {
            r.publicMailboxes().deleteAllMembers(require(r, tenantKey, mailboxRef).id());
            return null;
        });
    }

    // ---- aliases ----

    /** The mailbox's aliases: add, list and remove (a mailbox in the recycle bin is not found). */
    public Aliases aliases() {
        return aliases;
    }

    // ---- rules ----

    /** A mailbox in service; one in the recycle bin is "not found" for everything but release. */
    static PublicMailbox require(Records r, String tenantKey, String idOrEmail) {
        PublicMailbox box = find(r, tenantKey, idOrEmail);
        if (box.status() == MailboxStatus.RECYCLED) throw notFound();
        return box;
    }

    private static PublicMailbox find(Records r, String tenantKey, String idOrEmail) {
        return Address.lookupKey(idOrEmail).flatMap(key -> r.publicMailboxes().find(tenantKey, key))
                .orElseThrow(PublicMailboxes::notFound);
    }

    private static DirectoryException notFound() {
        return new DirectoryException(Reason.PUBLIC_MAILBOX_NOT_FOUND, "public mailbox not found");
    }

    private static DirectoryException memberNotFound(String id) {
        return new DirectoryException(Reason.PUBLIC_MAILBOX_MEMBER_NOT_FOUND, "public mailbox member " + id + " not found");
    }
}
