package mailroom.directory.mailgroup;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.KindCache;
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
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserRef;

/** Mail groups: the group itself, its members, managers, permission members and aliases. */
public final class MailGroups {
    /** Groups kept for reading by id or address: a few MB at most. */
    private static final int GROUPS_KEPT = 20_000;

    private record GroupKey(String tenantKey, String idOrEmail) {}

    private final DirectoryStore store;
    private final Clock clock;

    private final Aliases aliases;
    /**
     * A group as {@link #get} reads it — its row, its member count and the two flags its members decide — kept while
     * no group, member, user, department or tenant changed: reading a group is the commonest call of provisioning.
     */
    private final KindCache<GroupKey, MailGroup> kept;

    public MailGroups(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.kept = new KindCache<>(store, GROUPS_KEPT, ObjectKind.TENANT, ObjectKind.USER, ObjectKind.DEPARTMENT,
                ObjectKind.MAIL_GROUP, ObjectKind.MAIL_GROUP_MEMBER);
        this.aliases = new Aliases(store, clock, AddressKind.GROUP_ALIAS, (r, tenantKey, ref) -> {
            MailGroup group = require(r, tenantKey, ref);
            return new Namespace.Owner(group.id(), group.email());
        });
    }

    /** The fields a client sets; null means "not given". */
    public record Fields(String email, String name, String description, WhoCanSend whoCanSendMail) {}

    public MailGroup create(Caller caller, Fields fields) {
        requireLengths(fields);
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        // A create only adds (an address, a row, one to the tenant's count): creates of one tenant need not wait for each other.
        return store.addToTenant(tenantKey, r -> create(r, caller, Tenants.require(r, tenantKey), fields, now));
    }

    /**
     * Creates a group inside the caller's transaction (which holds the tenant lock): everything is checked
     * before the first write, so a refusal leaves the transaction as it was.
     */
    public static MailGroup create(Records r, Caller caller, Tenant tenant, Fields fields, long now) {
        requireLengths(fields);
        String tenantKey = tenant.key();
        Address address = Address.parse(fields.email(), "address");
        Namespace.domainOf(r, tenantKey, address);
        if (!r.mailGroups().hasRoom(tenantKey, tenant.limits().mailGroups())) {
            throw new DirectoryException(Reason.MAIL_GROUP_LIMIT_REACHED,
                    "mailing group count is over max limit " + tenant.limits().mailGroups());
        }
        String id = Ids.shortId();
        Namespace.claim(r, tenantKey, address, AddressKind.MAIL_GROUP, id, false, now);
        MailGroup group = new MailGroup(id, tenantKey, address.toString(), nullToEmpty(fields.name()),
                nullToEmpty(fields.description()),
                fields.whoCanSendMail() == null ? WhoCanSend.ANYONE : fields.whoCanSendMail(), 0, false, false);
        r.mailGroups().insert(group, now);
        Journal.created(r, caller, now, ObjectKind.MAIL_GROUP, id, States.mailGroup(group));
        return group;
    }

    /**
     * Gives a group the name, description and send permission of {@code fields} (a null field stays as it is)
     * inside the caller's transaction; answers whether anything changed. A change of nothing writes nothing.
     */
    public static boolean changeFields(Records r, Caller caller, MailGroup current, Fields fields, long now) {
        requireLengths(fields);
        String name = fields.name() != null ? fields.name() : current.name();
        String description = fields.description() != null ? fields.description() : current.description();
        WhoCanSend who = fields.whoCanSendMail() != null ? fields.whoCanSendMail() : current.whoCanSendMail();
        if (name.equals(current.name()) && description.equals(current.description()) && who == current.whoCanSendMail()) {
            return false;
        }
        MailGroup changed = new MailGroup(current.id(), current.tenantKey(), current.email(), name, description, who,
                current.directMembersCount(), current.includeExternalMember(), current.includeAllCompanyMember());
        r.mailGroups().update(changed, now);
        Journal.updated(r, caller, now, ObjectKind.MAIL_GROUP, current.id(), States.mailGroup(current), States.mailGroup(changed));
        return true;
    }

    private static void requireLengths(Fields fields) {
        Text.requireAtMost("name", fields.name(), Text.MAIL_GROUP_NAME);
        Text.requireAtMost("description", fields.description(), Text.MAIL_GROUP_DESCRIPTION);
    }

    public MailGroup get(Caller caller, String idOrEmail) {
        String tenantKey = caller.tenantKey();
        return kept.get(new GroupKey(tenantKey, idOrEmail), k -> store.read(r -> require(r, tenantKey, idOrEmail)));
    }

    /** Lists groups; with a manager, only the groups that user manages. */
    public Page<MailGroup> list(Caller caller, UserRef manager, PageRequest page) {
        String tenantKey = caller.tenantKey();
        return store.read(r -> {
            String managerId = null;
            if (manager != null) {
                Optional<User> user = r.tenants().user(tenantKey, manager);
                if (user.isEmpty()) return new Page<MailGroup>(List.of(), null);
                managerId = user.get().id();
            }
            return r.mailGroups().list(tenantKey, managerId, page);
        });
    }

    /**
     * Changes the given fields. With {@code replaceAll}, omitted name/description become empty and an
     * omitted who_can_send_mail becomes ANYONE (PUT); the address is only changed when given.
     */
    public MailGroup change(Caller caller, String idOrEmail, Fields fields, boolean replaceAll) {
        requireLengths(fields);
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            MailGroup current = require(r, tenantKey, idOrEmail);
            String email = current.email();
            if (fields.email() != null) {
                Address address = Address.parse(fields.email(), "address");
                if (!address.toString().equals(current.email())) {
                    Namespace.move(r, caller, current.id(), current.email(), address, AddressKind.MAIL_GROUP, now);
                    email = address.toString();
                }
            }
            String name = fields.name() != null ? fields.name() : replaceAll ? "" : current.name();
            String description = fields.description() != null ? fields.description()
                    : replaceAll ? "" : current.description();
            WhoCanSend who = fields.whoCanSendMail() != null ? fields.whoCanSendMail()
                    : replaceAll ? WhoCanSend.ANYONE : current.whoCanSendMail();
            MailGroup changed = new MailGroup(current.id(), tenantKey, email, name, description, who,
                    current.directMembersCount(), current.includeExternalMember(), current.includeAllCompanyMember());
            r.mailGroups().update(changed, now);
            MailGroup stored = require(r, tenantKey, current.id());
            Journal.updated(r, caller, now, ObjectKind.MAIL_GROUP, current.id(), States.mailGroup(current),
                    States.mailGroup(stored));
            return stored;
        });
    }

    /** Deletes the group with its aliases, members, managers, permission members and memberships elsewhere. */
    public void delete(Caller caller, String idOrEmail) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            MailGroup group = require(r, tenantKey, idOrEmail);
            Namespace.releaseAll(r, caller, new Namespace.Owner(group.id(), group.email()), now);
            journalRemoved(r, caller, now, r.mailGroups().deleteMembersReferring(MemberType.MAIL_GROUP, group.id()));
            r.mailGroups().delete(group.id());
            // Its own members, managers and permission members go with it: implied by this one entry.
            Journal.deleted(r, caller, now, ObjectKind.MAIL_GROUP, group.id(), States.mailGroup(group));
            return null;
        });
    }

    // ---- members and permission members ----

    public List<Member> addMembers(Caller caller, String groupRef, MemberList list, List<MemberSpec> specs) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            MailGroup group = require(r, tenantKey, groupRef);
            List<String> ids = new ArrayList<>();
            Set<String> added = new LinkedHashSet<>();
            for (int i = 0; i < specs.size(); i++) {
                Resolved resolved = resolve(r, tenantKey, group, list, specs.get(i), specs.size() > 1 ? "members[" + i + "]" : null);
                String fresh = Ids.shortId();
                String id = r.mailGroups().insertMember(list, group.id(), fresh, resolved.type, resolved.refId,
                        resolved.email, resolved.identity(), now);
                ids.add(id);
                if (id.equals(fresh)) added.add(id); // an existing member is answered again, not added again
            }
            if (list == MemberList.MEMBERS
                    && r.mailGroups().countMembers(list, group.id()) > tenant.limits().mailGroupMembers()) {
                throw new DirectoryException(Reason.MEMBER_LIMIT_REACHED,
                        "mailing group member count is over max limit " + tenant.limits().mailGroupMembers());
            }
            Map<String, Member> byId = new HashMap<>();
            List<Member> out = new ArrayList<>();
            for (String id : ids) {
                Member m = byId.computeIfAbsent(id, k -> r.mailGroups().member(list, tenantKey, group.id(), k).orElseThrow());
                out.add(m);
            }
            for (String id : added) {
                Journal.created(r, caller, now, States.memberKind(list), id, States.member(group, byId.get(id)));
            }
            return out;
        });
    }

    /**
     * Adds one member to a group's member list inside the caller's transaction (which holds the tenant lock),
     * by the rules of {@link #addMembers}; everything, the list's limit included, is checked before the first
     * write, so a refusal leaves the transaction as it was. Answers whether the member is new: one already in
     * the list is left as it is, and nothing is journalled for it.
     */
    public static boolean addMember(Records r, Caller caller, Tenant tenant, MailGroup group, MemberSpec spec, long now) {
        MemberList list = MemberList.MEMBERS;
        Resolved resolved = resolve(r, tenant.key(), group, list, spec, null);
        if (r.mailGroups().memberIdOf(list, group.id(), resolved.identity()).isPresent()) return false;
        if (r.mailGroups().countMembers(list, group.id()) >= tenant.limits().mailGroupMembers()) {
            throw new DirectoryException(Reason.MEMBER_LIMIT_REACHED,
                    "mailing group member count is over max limit " + tenant.limits().mailGroupMembers());
        }
        String id = r.mailGroups().insertMember(list, group.id(), Ids.shortId(), resolved.type, resolved.refId,
                resolved.email, resolved.identity(), now);
        Member m = r.mailGroups().member(list, tenant.key(), group.id(), id).orElseThrow();
        Journal.created(r, caller, now, States.memberKind(list), id, States.member(group, m));
        return true;
    }

    public Member member(Caller caller, String groupRef, MemberList list, String memberId) {
        String tenantKey = caller.tenantKey();
        return store.read(r -> {
            MailGroup group = require(r, tenantKey, groupRef);
            return r.mailGroups().member(list, tenantKey, group.id(), memberId)
                    .orElseThrow(() -> memberNotFound(list, memberId));
        });
    }

    public Page<Member> members(Caller caller, String groupRef, MemberList list, PageRequest page) {
        String tenantKey = caller.tenantKey();
        return store.read(r -> r.mailGroups().members(list, tenantKey, require(r, tenantKey, groupRef).id(), page));
    }

    /** Removes all given members or none: an unknown id refuses the whole call. */
    public void removeMembers(Caller caller, String groupRef, MemberList list, List<String> memberIds) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            MailGroup group = require(r, tenantKey, groupRef);
            for (String id : new LinkedHashSet<>(memberIds)) {
                Member before = r.mailGroups().member(list, tenantKey, group.id(), id).orElse(null);
                if (before == null || !r.mailGroups().deleteMember(list, group.id(), id)) throw memberNotFound(list, id);
                Journal.deleted(r, caller, now, States.memberKind(list), id, States.member(group, before));
            }
            return null;
        });
    }

    // ---- managers ----

    public void addManagers(Caller caller, String groupRef, List<UserRef> users) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            MailGroup group = require(r, tenantKey, groupRef);
            for (int i = 0; i < users.size(); i++) {
                User user = requireUser(r, tenantKey, users.get(i), "managers[" + i + "].user");
                if (r.mailGroups().insertManager(group.id(), user.id(), now)) {
                    Journal.created(r, caller, now, ObjectKind.MAIL_GROUP_MANAGER, managerId(group, user),
                            States.manager(group, user));
                }
            }
            return null;
        });
    }

    public void removeManagers(Caller caller, String groupRef, List<UserRef> users) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        store.writeTenant(tenantKey, r -> {
            MailGroup group = require(r, tenantKey, groupRef);
            for (int i = 0; i < users.size(); i++) {
                User user = requireUser(r, tenantKey, users.get(i), "managers[" + i + "].user");
                if (r.mailGroups().deleteManager(group.id(), user.id())) {
                    Journal.deleted(r, caller, now, ObjectKind.MAIL_GROUP_MANAGER, managerId(group, user),
                            States.manager(group, user));
                }
            }
            return null;
        });
    }

    public Page<User> managers(Caller caller, String groupRef, PageRequest page) {
        String tenantKey = caller.tenantKey();
        return store.read(r -> r.mailGroups().managers(require(r, tenantKey, groupRef).id(), page));
    }

    // ---- aliases ----

    /** The group's aliases: add, list and remove. */
    public Aliases aliases() {
        return aliases;
    }

    // ---- rules ----

    static MailGroup require(Records r, String tenantKey, String idOrEmail) {
        return Address.lookupKey(idOrEmail).flatMap(key -> r.mailGroups().find(tenantKey, key))
                .orElseThrow(() -> new DirectoryException(Reason.MAIL_GROUP_NOT_FOUND, "mail group not found"));
    }

    public static User requireUser(Records r, String tenantKey, UserRef ref, String field) {
        if (ref == null || ref.value() == null || ref.value().isBlank()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, field, " is required");
        }
        return r.tenants().user(tenantKey, ref).orElseThrow(() -> new DirectoryException(Reason.USER_NOT_FOUND,
                "user " + ref.value() + " not found", field));
    }

    private record Resolved(MemberType type, String refId, String email) {
        String identity() {
            return type + ":" + (refId != null ? refId : email != null ? email : "");
        }
    }

    private static final Set<MemberType> PERMISSION_TYPES =
            EnumSet.of(MemberType.USER, MemberType.DEPARTMENT, MemberType.MAIL_GROUP, MemberType.PUBLIC_MAILBOX);

    /** Checks one requested member against the tenant and turns it into what is stored. */
    private static Resolved resolve(Records r, String tenantKey, MailGroup group, MemberList list, MemberSpec spec,
                                    String itemPath) {
        String prefix = itemPath == null ? "" : itemPath + ".";
        if (spec.type() == null) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, prefix + "type", " is required");
        }
        if (list == MemberList.PERMISSION_MEMBERS && !PERMISSION_TYPES.contains(spec.type())) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, prefix + "type",
                    " " + spec.type() + " cannot be a permission member");
        }
        switch (spec.type()) {
            case USER -> {
                User user = requireUser(r, tenantKey, spec.user(), prefix + "user");
                return new Resolved(MemberType.USER, user.id(), null);
            }
            case DEPARTMENT -> {
                String field = prefix + "department";
                if (spec.department() == null || spec.department().value() == null || spec.department().value().isBlank()) {
                    throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, field, " is required");
                }
                Department d = r.tenants().department(tenantKey, spec.department()).orElseThrow(() ->
                        new DirectoryException(Reason.DEPARTMENT_NOT_FOUND,
                                "department " + spec.department().value() + " not found", field));
                return new Resolved(MemberType.DEPARTMENT, d.departmentId(), null);
            }
            case COMPANY -> {
                return new Resolved(MemberType.COMPANY, null, null);
            }
            case EXTERNAL_USER -> {
                Address a = Address.parse(spec.email(), prefix + "address");
                if (Namespace.isTenantDomain(r, tenantKey, a.domain())) {
                    throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, prefix + "address",
                            " of an EXTERNAL_USER must be outside the tenant's domains");
                }
                return new Resolved(MemberType.EXTERNAL_USER, null, a.toString());
            }
            case OTHER_MEMBER -> {
                Address a = Address.parse(spec.email(), prefix + "address");
                if (!Namespace.isTenantDomain(r, tenantKey, a.domain())) {
                    throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, prefix + "address",
                            " of an OTHER_MEMBER must be in one of the tenant's domains");
                }
                return new Resolved(MemberType.OTHER_MEMBER, null, a.toString());
            }
            case MAIL_GROUP -> {
                Address a = Address.parse(spec.email(), prefix + "address");
                MailGroup member = r.mailGroups().find(tenantKey, a.toString()).orElseThrow(() ->
                        DirectoryException.ofField(Reason.INVALID_ARGUMENT, prefix + "address",
                                " " + a + " is not a mail group of this tenant"));
                if (list == MemberList.MEMBERS && member.id().equals(group.id())) {
                    throw new DirectoryException(Reason.MEMBER_CYCLE,
                            "mail group " + a + " cannot be a member of itself", prefix + "address");
                }
                if (list == MemberList.MEMBERS && wouldCycle(r, tenantKey, group.id(), member.id())) {
                    throw new DirectoryException(Reason.MEMBER_CYCLE,
                            "mail group " + a + " contains " + group.email() + "; adding it would make a cycle",
                            prefix + "address");
                }
                return new Resolved(MemberType.MAIL_GROUP, member.id(), null);
            }
            case PUBLIC_MAILBOX -> {
                Address a = Address.parse(spec.email(), prefix + "address");
                PublicMailbox box = r.publicMailboxes().find(tenantKey, a.toString())
                        .filter(p -> p.status() != MailboxStatus.RECYCLED)
                        .orElseThrow(() -> DirectoryException.ofField(Reason.INVALID_ARGUMENT, prefix + "address",
                                " " + a + " is not a public mailbox of this tenant"));
                return new Resolved(MemberType.PUBLIC_MAILBOX, box.id(), null);
            }
            default -> throw new IllegalStateException("unhandled member type " + spec.type());
        }
    }

    /** True when {@code candidate} is the group itself or (transitively) contains it. */
    private static boolean wouldCycle(Records r, String tenantKey, String groupId, String candidate) {
        Map<String, List<String>> children = new HashMap<>();
        for (String[] edge : r.mailGroups().groupEdges(tenantKey)) {
            children.computeIfAbsent(edge[0], k -> new ArrayList<>()).add(edge[1]);
        }
        Deque<String> todo = new ArrayDeque<>(List.of(candidate));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (next.equals(groupId)) return true;
            if (seen.add(next)) todo.addAll(children.getOrDefault(next, List.of()));
        }
        return false;
    }

    /** A manager entry has no id of its own: it is the pair of group and user. */
    private static String managerId(MailGroup group, User user) {
        return group.id() + ":" + user.userId();
    }

    /**
     * Removes, inside the caller's transaction, every place a user being deleted has in mail groups: its USER rows
     * in member and permission-member lists, and its manager rows; each journalled.
     */
    public static void forgetUser(Records r, Caller caller, User user, long now) {
        journalRemoved(r, caller, now, r.mailGroups().deleteMembersReferring(MemberType.USER, user.id()));
        List<MailGroup> managed = new ArrayList<>();
        String cursor = null;
        do {
            Page<MailGroup> page = r.mailGroups().list(user.tenantKey(), user.id(), new PageRequest(cursor, 500));
            managed.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        for (MailGroup group : managed) {
            if (r.mailGroups().deleteManager(group.id(), user.id())) {
                Journal.deleted(r, caller, now, ObjectKind.MAIL_GROUP_MANAGER, managerId(group, user), States.manager(group, user));
            }
        }
    }

    /** Journals member rows that went because what they named went away (a group, a mailbox, an address). */
    public static void journalRemoved(Records r, Caller caller, long now, List<Records.RemovedMember> removed) {
        for (Records.RemovedMember m : removed) {
            Journal.deleted(r, caller, now, States.memberKind(m.list()), m.member().id(), States.member(m.group(), m.member()));
        }
    }

    private static DirectoryException memberNotFound(MemberList list, String id) {
        return list == MemberList.MEMBERS
                ? new DirectoryException(Reason.MEMBER_NOT_FOUND, "mail group member " + id + " not found")
                : new DirectoryException(Reason.PERMISSION_MEMBER_NOT_FOUND, "mail group permission member " + id + " not found");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
