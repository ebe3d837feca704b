package mailroom.directory.publicmailbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.Aliases;
import mailroom.directory.address.Namespace;
import mailroom.directory.address.RecycleBin;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserRef;

/**
 * Public (shared) mailboxes, their members and aliases, and their recycle-bin lifecycle: a mailbox in
 * the recycle bin is out of service (invisible to everything but release) yet keeps its addresses
 * reserved until it is released.
 */
public final class PublicMailboxes {
    /** Longest display name accepted ({@link Text#PUBLIC_MAILBOX_NAME}). */
    public static final int MAX_NAME_LENGTH = Text.PUBLIC_MAILBOX_NAME;

    private final DirectoryStore store;
    private final Clock clock;

    private final Aliases aliases;

    public PublicMailboxes(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.aliases = new Aliases(store, clock, AddressKind.PUBLIC_ALIAS, (r, tenantKey, ref) -> {
            PublicMailbox box = require(r, tenantKey, ref);
            return new Namespace.Owner(box.id(), box.email());
        });
    }

    /** The fields a client sets; null means "not given". */
    public record Fields(String email, String name, String geo) {}

    /**
     * Creates a mailbox. {@code maySetGeo} tells whether the caller may choose data residency at all;
     * geo is checked before anything else about it: caller permission, tenant multi-geo, allowed list.
     */
    public PublicMailbox create(Caller caller, Fields fields, boolean maySetGeo) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            Address address = Address.parse(fields.email(), "address");
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
            Journal.created(r, caller, now, ObjectKind.PUBLIC_MAILBOX, id, States.publicMailbox(box));
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
        return Text.requireAtMost("name", requested, MAX_NAME_LENGTH);
    }

    public PublicMailbox get(Caller caller, String idOrEmail) {
        return store.read(r -> require(r, caller.tenantKey(), idOrEmail));
    }

    /** Mailboxes in service, oldest first; the recycle bin is not listed. */
    public Page<PublicMailbox> list(Caller caller, PageRequest page) {
        return store.read(r -> r.publicMailboxes().list(caller.tenantKey(), page));
    }

    /**
     * Changes the given fields; with {@code replaceAll} an omitted name becomes empty (PUT). A new
     * address is claimed and the old one stays with the mailbox as an alias (so mail to it still
     * arrives), which is why a change can hit the alias limit.
     */
    public PublicMailbox change(Caller caller, String idOrEmail, Fields fields, boolean replaceAll) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            PublicMailbox current = require(r, tenantKey, idOrEmail);
            String email = current.email();
            if (fields.email() != null) {
                Address address = Address.parse(fields.email(), "address");
                if (!address.toString().equals(current.email())) {
                    Namespace.moveKeepingAlias(r, caller, tenant, new Namespace.Owner(current.id(), current.email()),
                            address, AddressKind.PUBLIC_MAILBOX, AddressKind.PUBLIC_ALIAS, now);
                    email = address.toString();
                }
            }
            String name = name(fields.name(), replaceAll ? "" : current.name());
            PublicMailbox changed = new PublicMailbox(current.id(), tenantKey, email, name, current.geo(),
                    current.status(), current.toMailAddress());
            r.publicMailboxes().update(changed, now);
            Journal.updated(r, caller, now, ObjectKind.PUBLIC_MAILBOX, current.id(), States.publicMailbox(current),
                    States.publicMailbox(changed));
            return changed;
        });
    }

    /**
     * Takes the mailbox out of service. Its address and aliases stay reserved (users/query answers
     * "in recycle bin") and {@code toMailAddress} is remembered as where its mail should go.
     */
    public void moveToRecycleBin(Caller caller, String idOrEmail, String toMailAddress) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            PublicMailbox box = require(r, tenantKey, idOrEmail);
            String target = null;
            if (toMailAddress != null && !toMailAddress.isBlank()) {
                target = RecycleBin.forwardTarget(r, tenantKey, toMailAddress, box.id(), "forward_to");
            }
            PublicMailbox recycled = new PublicMailbox(box.id(), tenantKey, box.email(), box.name(), box.geo(),
                    MailboxStatus.RECYCLED, target);
            r.publicMailboxes().update(recycled, now);
            Journal.recycled(r, caller, now, ObjectKind.PUBLIC_MAILBOX, box.id(), States.publicMailbox(box),
                    States.publicMailbox(recycled));
            return null;
        });
    }

    /**
     * Permanently removes a mailbox that is in the recycle bin: its addresses, members, and every
     * mail-group membership or permission that points at it, so that the address can be used again.
     */
    public void release(Caller caller, String idOrEmail) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            PublicMailbox box = find(r, tenantKey, idOrEmail);
            if (box.status() != MailboxStatus.RECYCLED) {
                throw new DirectoryException(Reason.NOT_IN_RECYCLE_BIN,
                        "public mailbox " + box.email() + " is not in the recycle bin");
            }
            Namespace.releaseAll(r, caller, new Namespace.Owner(box.id(), box.email()), now);
            MailGroups.journalRemoved(r, caller, now,
                    r.mailGroups().deleteMembersReferring(MemberType.PUBLIC_MAILBOX, box.id()));
            r.publicMailboxes().delete(box.id());
            // Its own members go with it: implied by this one entry.
            Journal.deleted(r, caller, now, ObjectKind.PUBLIC_MAILBOX, box.id(), States.publicMailbox(box));
            return null;
        });
    }

    // ---- members ----

    /**
     * Binds users to the mailbox, all or none. A user already bound keeps its member id; a user that
     * would exceed the per-user limit of bindable mailboxes refuses the whole call.
     */
    public List<PublicMailboxMember> addMembers(Caller caller, String mailboxRef, List<UserRef> users) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            PublicMailbox box = require(r, tenantKey, mailboxRef);
            Map<String, String> memberIds = new LinkedHashMap<>();
            List<String> out = new ArrayList<>();
            List<String> added = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                String field = users.size() > 1 ? "members[" + i + "].user" : "user";
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
                    if (id.equals(fresh)) added.add(id);
                }
                out.add(id);
            }
            List<PublicMailboxMember> members = new ArrayList<>();
            for (String id : out) members.add(r.publicMailboxes().member(box.id(), id).orElseThrow());
            for (PublicMailboxMember m : members) {
                if (added.remove(m.id())) {
                    Journal.created(r, caller, now, ObjectKind.PUBLIC_MAILBOX_MEMBER, m.id(),
                            States.publicMailboxMember(box, m));
                }
            }
            return members;
        });
    }

    public PublicMailboxMember member(Caller caller, String mailboxRef, String memberId) {
        return store.read(r -> r.publicMailboxes().member(require(r, caller.tenantKey(), mailboxRef).id(), memberId)
                .orElseThrow(() -> memberNotFound(memberId)));
    }

    public Page<PublicMailboxMember> members(Caller caller, String mailboxRef, PageRequest page) {
        return store.read(r -> r.publicMailboxes().members(require(r, caller.tenantKey(), mailboxRef).id(), page));
    }

    /** Removes all given members or none: an unknown id refuses the whole call. */
    public void removeMembers(Caller caller, String mailboxRef, List<String> memberIds) {
        long now = clock.millis();
        store.writeTenant(caller.tenantKey(), r -> {
            PublicMailbox box = require(r, caller.tenantKey(), mailboxRef);
            for (String id : new java.util.LinkedHashSet<>(memberIds)) {
                PublicMailboxMember before = r.publicMailboxes().member(box.id(), id).orElse(null);
                if (before == null || !r.publicMailboxes().deleteMember(box.id(), id)) throw memberNotFound(id);
                Journal.deleted(r, caller, now, ObjectKind.PUBLIC_MAILBOX_MEMBER, id, States.publicMailboxMember(box, before));
            }
            return null;
        });
    }

    public void clearMembers(Caller caller, String mailboxRef) {
        long now = clock.millis();
        store.writeTenant(caller.tenantKey(), r -> {
            PublicMailbox box = require(r, caller.tenantKey(), mailboxRef);
            for (PublicMailboxMember m : allMembers(r, box)) {
                Journal.deleted(r, caller, now, ObjectKind.PUBLIC_MAILBOX_MEMBER, m.id(), States.publicMailboxMember(box, m));
            }
            r.publicMailboxes().deleteAllMembers(box.id());
            return null;
        });
    }

    // ---- aliases ----

    /** The mailbox's aliases: add, list and remove (a mailbox in the recycle bin is not found). */
    public Aliases aliases() {
        return aliases;
    }

    // ---- rules ----

    private static List<PublicMailboxMember> allMembers(Records r, PublicMailbox box) {
        List<PublicMailboxMember> all = new ArrayList<>();
        PageRequest page = new PageRequest(null, 500);
        while (true) {
            Page<PublicMailboxMember> p = r.publicMailboxes().members(box.id(), page);
            all.addAll(p.items());
            if (p.nextCursor() == null) return all;
            page = new PageRequest(p.nextCursor(), 500);
        }
    }

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

    /** Removes, inside the caller's transaction, a user being deleted from every public mailbox it is a member of. */
    public static void forgetUser(Records r, Caller caller, User user, long now) {
        for (Records.Membership m : r.publicMailboxes().membershipsOf(user.id())) {
            PublicMailbox box = r.publicMailboxes().find(user.tenantKey(), m.publicMailboxId()).orElseThrow();
            PublicMailboxMember before = r.publicMailboxes().member(box.id(), m.memberId()).orElseThrow();
            r.publicMailboxes().deleteMember(box.id(), m.memberId());
            Journal.deleted(r, caller, now, ObjectKind.PUBLIC_MAILBOX_MEMBER, m.memberId(), States.publicMailboxMember(box, before));
        }
    }

    private static DirectoryException memberNotFound(String id) {
        return new DirectoryException(Reason.PUBLIC_MAILBOX_MEMBER_NOT_FOUND, "public mailbox member " + id + " not found");
    }
}
