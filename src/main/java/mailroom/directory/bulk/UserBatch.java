package mailroom.directory.bulk;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.Records.NewUser;
import mailroom.directory.States;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.Namespace;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants.UserSpec;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.Users;

/**
 * One batch of user rows by the rules of {@link Users#put}, at the cost of a few queries for the whole batch
 * instead of a dozen per row: what the rows name is read at once (users, their departments and mailboxes, the
 * holders of the open_ids and union_ids asked for, the departments, the addresses), each row is checked in
 * file order against that picture as the rows before it left it, and only then is anything written — new
 * users, their departments and mailboxes in batches. A refused row so writes nothing. The batches are cut so
 * that no user_id and no address appears twice in one ({@link #batches}).
 */
final class UserBatch {
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserBatch() {}

    /** Rows in batches of at most {@code size}, a batch ending early before a user_id or address it already has. */
    static List<List<UserRow>> batches(List<UserRow> rows, int size) {
        List<List<UserRow>> out = new ArrayList<>();
        List<UserRow> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (UserRow row : rows) {
            List<String> rowKeys = new ArrayList<>();
            if (row.userId() != null) rowKeys.add("u:" + row.userId());
            if (row.email() != null) Address.lookupKey(row.email()).ifPresent(e -> rowKeys.add("a:" + e));
            if (batch.size() == size || rowKeys.stream().anyMatch(keys::contains)) {
                out.add(batch);
                batch = new ArrayList<>();
                keys.clear();
            }
            batch.add(row);
            keys.addAll(rowKeys);
        }
        if (!batch.isEmpty()) out.add(batch);
        return out;
    }

    /** A user as the batch has it so far: stored, or planned by an earlier row. */
    private static final class Known {
        User user;
        List<String> departments;
        UserMailbox mailbox;

        Known(User user, List<String> departments, UserMailbox mailbox) {
            this.user = user;
            this.departments = departments;
            this.mailbox = mailbox;
        }
    }

    /** What an accepted row will write. */
    private record Plan(boolean created, User before, List<String> departmentsBefore, User after, List<String> departments,
                        UserMailbox newMailbox, UserMailbox movedMailbox, Address moveTo) {}

    static void apply(Records r, Caller caller, Tenant tenant, List<UserRow> batch, long now, Imports.Tally tally) {
        String key = tenant.key();
        List<UserRow> valid = new ArrayList<>();
        Map<UserRow, UserSpec> specs = new HashMap<>();
        for (UserRow row : batch) {
            try {
                specs.put(row, validate(key, row));
                valid.add(row);
            } catch (DirectoryException refused) {
                tally.failed.add(new RowFailure(row.row(), refused));
            }
        }
        if (valid.isEmpty()) return;

        // ---- what the rows name, read at once ----
        Set<String> userIds = new HashSet<>();
        Set<String> openIds = new HashSet<>();
        Set<String> unionIds = new HashSet<>();
        Set<String> departmentIds = new HashSet<>();
        List<String> emails = new ArrayList<>();
        for (UserRow row : valid) {
            UserSpec s = specs.get(row);
            userIds.add(s.user().userId());
            if (s.user().openId() != null) openIds.add(s.user().openId());
            if (s.user().unionId() != null) unionIds.add(s.user().unionId());
            if (row.departments() != null) departmentIds.addAll(s.departmentIds());
            if (s.email() != null) emails.add(s.email());
        }
        Map<String, Known> users = new HashMap<>();
        List<User> stored = r.tenants().usersByIds(key, UserIdKind.USER_ID, userIds);
        List<String> internal = stored.stream().map(User::id).toList();
        Map<String, List<String>> departmentsOf = r.tenants().departmentsOfAll(internal);
        Map<String, UserMailbox> mailboxOf = r.mailboxes().byUsers(internal);
        Map<String, String> openIdHolder = new HashMap<>();
        Map<String, String> unionIdHolder = new HashMap<>();
        for (User u : stored) {
            users.put(u.userId(), new Known(u, departmentsOf.getOrDefault(u.id(), List.of()), mailboxOf.get(u.id())));
            openIdHolder.put(u.openId(), u.userId());
            unionIdHolder.put(u.unionId(), u.userId());
        }
        for (User u : r.tenants().usersByIds(key, UserIdKind.OPEN_ID, openIds)) openIdHolder.put(u.openId(), u.userId());
        for (User u : r.tenants().usersByIds(key, UserIdKind.UNION_ID, unionIds)) unionIdHolder.put(u.unionId(), u.userId());
        Set<String> departments = r.tenants().existingDepartments(key, departmentIds);
        Map<String, AddressEntry> owners = Namespace.owners(r, key, emails);
        Map<String, Domain> domains = new HashMap<>();
        for (Domain d : r.tenants().domainsOf(key)) domains.put(d.name(), d);
        long room = tenant.limits().userMailboxes() - r.mailboxes().countInService(key);

        // ---- each row checked against that picture, in file order ----
        List<Plan> plans = new ArrayList<>();
        for (UserRow row : valid) {
            UserSpec s = specs.get(row);
            try {
                Known known = users.get(s.user().userId());
                User before = known == null ? null : known.user;
                List<String> wantedDepartments = row.departments() == null && known != null ? known.departments
                        : s.departmentIds().stream().sorted().toList();
                if (row.departments() != null) {
                    for (int i = 0; i < s.departmentIds().size(); i++) {
                        String d = s.departmentIds().get(i);
                        if (!departments.contains(d)) {
                            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "departments[" + i + "]",
                                    " names department " + d + ", which does not exist");
                        }
                    }
                }
                String openId = s.user().openId() != null ? s.user().openId() : before != null ? before.openId() : generated("ou_");
                String unionId = s.user().unionId() != null ? s.user().unionId() : before != null ? before.unionId() : generated("on_");
                requireOwn(openIdHolder, openId, s.user().userId(), "open_id");
                requireOwn(unionIdHolder, unionId, s.user().userId(), "union_id");

                UserMailbox mailbox = known == null ? null : known.mailbox;
                Address email = s.email() == null ? null : Address.parse(s.email(), "email");
                UserMailbox newMailbox = null;
                boolean move = false;
                if (email != null && (mailbox == null || !mailbox.email().equals(email.toString()))) {
                    Domain domain = domains.get(email.domain());
                    if (domain == null) {
                        throw new DirectoryException(Reason.INVALID_ADDRESS,
                                "domain " + email.domain() + " is not a domain of this tenant", "email");
                    }
                    AddressEntry owner = owners.get(email.toString());
                    boolean ownAlias = mailbox != null && owner != null && owner.ownerId().equals(mailbox.id());
                    if (owner != null && !ownAlias) throw Users.taken(owner);
                    if (mailbox == null) {
                        if (room <= 0) {
                            throw new DirectoryException(Reason.MAILBOX_LIMIT_REACHED, "the tenant has reached its limit of "
                                    + tenant.limits().userMailboxes() + " user mailboxes");
                        }
                    } else if (mailbox.status() == MailboxStatus.RECYCLED) {
                        throw new DirectoryException(Reason.INVALID_ARGUMENT, "the user's mailbox " + mailbox.email()
                                + " is in the recycle bin: release it before giving the user another address", "email");
                    } else if (!ownAlias && r.addresses().countAliases(mailbox.id()) >= tenant.limits().aliasesPerAddress()) {
                        throw new DirectoryException(Reason.ALIAS_LIMIT_REACHED, "the old address " + mailbox.email()
                                + " would become an alias, but the mailbox already has "
                                + tenant.limits().aliasesPerAddress() + " aliases", "email");
                    }
                    move = mailbox != null;
                }

                // Accepted: from here on the row only changes the batch's picture.
                String internalId = before != null ? before.id() : Ids.shortId();
                User after = new User(internalId, key, s.user().userId(), openId, unionId, s.user().name());
                if (mailbox == null && email != null) {
                    Domain domain = domains.get(email.domain());
                    newMailbox = new UserMailbox(Ids.uuid(), key, email.toString(), domain.id(), domain.name(), internalId,
                            Users.firstName(after.name()), Users.lastName(after.name()), MailboxStatus.ACTIVE,
                            Mailboxes.DEFAULT_QUOTA_BYTES, 0, now, now);
                    room--;
                    owners.put(email.toString(), new AddressEntry(email.toString(), key, domain.id(), AddressKind.USER_MAILBOX,
                            newMailbox.id(), false, now));
                }
                if (before != null) {
                    openIdHolder.remove(before.openId(), before.userId());
                    unionIdHolder.remove(before.unionId(), before.userId());
                }
                openIdHolder.put(openId, after.userId());
                unionIdHolder.put(unionId, after.userId());
                if (move) {
                    owners.put(email.toString(), new AddressEntry(email.toString(), key, domains.get(email.domain()).id(),
                            AddressKind.USER_MAILBOX, mailbox.id(), false, now));
                }
                Plan plan = new Plan(before == null, before, known == null ? null : known.departments, after, wantedDepartments,
                        newMailbox, move ? mailbox : null, move ? email : null);
                plans.add(plan);
                users.put(after.userId(), new Known(after, wantedDepartments, newMailbox != null ? newMailbox : mailbox));
            } catch (DirectoryException refused) {
                tally.failed.add(new RowFailure(row.row(), refused));
            }
        }

        // ---- the writes: changed users in file order (an id one frees may be taken by the next), then the new ----
        List<NewUser> created = new ArrayList<>();
        List<AddressEntry> claims = new ArrayList<>();
        List<UserMailbox> mailboxes = new ArrayList<>();
        for (Plan p : plans) {
            Map<String, Object> after = States.user(p.after(), p.departments());
            boolean changed;
            if (p.created()) {
                created.add(new NewUser(p.after(), p.departments()));
                Journal.created(r, caller, now, ObjectKind.USER, p.after().userId(), after);
                changed = true;
            } else {
                Map<String, Object> was = States.user(p.before(), p.departmentsBefore());
                changed = !was.equals(after);
                if (changed) {
                    r.tenants().upsertUser(p.after(), p.departments());
                    Journal.updated(r, caller, now, ObjectKind.USER, p.after().userId(), was, after);
                }
            }
            if (p.movedMailbox() != null) {
                Mailboxes.changeAddress(r, caller, tenant, p.movedMailbox(), p.moveTo(), now);
                changed = true;
            }
            if (p.newMailbox() != null) {
                UserMailbox m = p.newMailbox();
                claims.add(new AddressEntry(m.email(), key, m.domainId(), AddressKind.USER_MAILBOX, m.id(), false, now));
                mailboxes.add(m);
                Journal.created(r, caller, now, ObjectKind.USER_MAILBOX, m.id(), States.userMailbox(m, p.after().userId()));
                changed = true;
            }
            if (p.created()) {
                tally.created++;
            } else if (changed) {
                tally.updated++;
            }
        }
        r.tenants().insertUsers(created);
        Namespace.claimAll(r, key, claims);
        r.mailboxes().insertAll(mailboxes);
    }

    /** The row as {@link Users#validate} takes it, checked by its rules; an import also needs the user_id. */
    private static UserSpec validate(String tenantKey, UserRow row) {
        if (row.userId() == null || row.userId().isBlank()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "user_id", " is required: an import finds users by it");
        }
        User user = new User(null, tenantKey, row.userId(), blankToNull(row.openId()), blankToNull(row.unionId()), row.name());
        return Users.validate(new UserSpec(user, blankToNull(row.email()), row.departments() == null ? List.of() : row.departments()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static void requireOwn(Map<String, String> holders, String value, String userId, String field) {
        String holder = holders.get(value);
        if (holder != null && !holder.equals(userId)) {
            throw new DirectoryException(Reason.USER_TAKEN, field + " " + value + " belongs to user " + holder, field);
        }
    }

    /** An id for a new user that gives none, shaped as Users generates them: the prefix and 32 hex digits (128 random bits). */
    private static String generated(String prefix) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
