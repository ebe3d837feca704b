package mailroom.directory.bulk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.User;

/**
 * A tenant's directory as the rows {@link Imports} takes, read in one transaction (one consistent picture):
 * importing them into an empty tenant with the same domains makes the same objects (ADR 0016).
 */
public final class Exports {
    private static final int PAGE = 1000;

    private final DirectoryStore store;

    public Exports(DirectoryStore store) {
        this.store = store;
    }

    /**
     * Every user by user_id, with its departments (in id order) and the address of its mailbox when that is in
     * service (a mailbox in the recycle bin is not exported: importing it would bring it back into service).
     */
    public List<UserRow> users(Caller caller) {
        String key = caller.tenantKey();
        return store.read(r -> {
            Tenants.require(r, key);
            List<UserRow> out = new ArrayList<>();
            String after = null;
            while (true) {
                List<User> page = r.tenants().users(key, after, PAGE);
                List<String> ids = page.stream().map(User::id).toList();
                Map<String, List<String>> departments = r.tenants().departmentsOfAll(ids);
                Map<String, UserMailbox> mailboxes = r.mailboxes().byUsers(ids);
                for (User u : page) {
                    UserMailbox m = mailboxes.get(u.id());
                    String email = m == null || m.status() == MailboxStatus.RECYCLED ? null : m.email();
                    out.add(new UserRow(out.size() + 1, u.userId(), u.name(), email, departments.getOrDefault(u.id(), List.of()),
                            u.openId(), u.unionId()));
                }
                if (page.size() < PAGE) return out;
                after = page.get(page.size() - 1).userId();
            }
        });
    }

    /** Every mail group, oldest first. */
    public List<MailGroupRow> mailGroups(Caller caller) {
        String key = caller.tenantKey();
        return store.read(r -> {
            Tenants.require(r, key);
            List<MailGroupRow> out = new ArrayList<>();
            for (MailGroup g : all(p -> r.mailGroups().list(key, null, p))) {
                out.add(new MailGroupRow(out.size() + 1, g.email(), g.name(), g.description(), g.whoCanSendMail()));
            }
            return out;
        });
    }

    /** Every member of every group's member list, group by group (oldest group first), in the order they joined. */
    public List<MemberRow> members(Caller caller) {
        String key = caller.tenantKey();
        return store.read(r -> {
            Tenants.require(r, key);
            List<MemberRow> out = new ArrayList<>();
            for (MailGroup g : all(p -> r.mailGroups().list(key, null, p))) {
                for (Member m : all(p -> r.mailGroups().members(MemberList.MEMBERS, key, g.id(), p))) {
                    String value = switch (m.type()) {
                        case USER -> m.user() == null ? null : m.user().userId();
                        case DEPARTMENT -> m.department() == null ? null : m.department().departmentId();
                        case COMPANY -> "";
                        default -> m.email();
                    };
                    if (value != null) out.add(new MemberRow(out.size() + 1, g.email(), m.type(), value));
                }
            }
            return out;
        });
    }

    /**
     * Every alias of an owner in service, by owner address then alias. A catch-all alias is exported as the
     * alias it also is: the import format has no catch-all column.
     */
    public List<AliasRow> aliases(Caller caller) {
        String key = caller.tenantKey();
        return store.read(r -> {
            Tenants.require(r, key);
            Map<String, AddressEntry> primaries = new HashMap<>();
            List<AddressEntry> aliases = new ArrayList<>();
            String after = null;
            while (true) {
                List<AddressEntry> rows = r.addresses().ofTenant(key, after, PAGE);
                for (AddressEntry e : rows) {
                    if (e.kind().isAlias()) aliases.add(e);
                    else primaries.put(e.ownerId(), e);
                }
                if (rows.size() < PAGE) break;
                after = rows.get(rows.size() - 1).address();
            }
            Map<String, MailboxStatus> status = new HashMap<>();
            status.putAll(r.mailboxes().statuses(key, ownersOf(primaries, AddressKind.USER_MAILBOX)));
            status.putAll(r.publicMailboxes().statuses(key, ownersOf(primaries, AddressKind.PUBLIC_MAILBOX)));
            List<AliasRow> rows = new ArrayList<>();
            for (AddressEntry alias : aliases) {
                AddressEntry owner = primaries.get(alias.ownerId());
                if (owner == null) continue;
                boolean mailbox = owner.kind() != AddressKind.MAIL_GROUP;
                if (mailbox && status.getOrDefault(owner.ownerId(), MailboxStatus.RECYCLED) == MailboxStatus.RECYCLED) continue;
                rows.add(new AliasRow(0, owner.address(), alias.address()));
            }
            rows.sort(Comparator.comparing(AliasRow::address).thenComparing(AliasRow::alias));
            List<AliasRow> numbered = new ArrayList<>();
            for (AliasRow a : rows) numbered.add(new AliasRow(numbered.size() + 1, a.address(), a.alias()));
            return numbered;
        });
    }

    private static List<String> ownersOf(Map<String, AddressEntry> primaries, AddressKind kind) {
        return primaries.values().stream().filter(e -> e.kind() == kind).map(AddressEntry::ownerId).toList();
    }

    /** Every item of a paged listing. */
    static <T> List<T> all(Function<PageRequest, Page<T>> pages) {
        List<T> out = new ArrayList<>();
        PageRequest page = new PageRequest(null, PAGE);
        while (true) {
            Page<T> p = pages.apply(page);
            out.addAll(p.items());
            if (p.nextCursor() == null) return out;
            page = new PageRequest(p.nextCursor(), PAGE);
        }
    }
}
