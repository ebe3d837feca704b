package mailroom.directory.tenant;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.Namespace;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.Tenants.UserSpec;

/**
 * Users (the organisation's people) and the user mailbox an address gives them, by the same rules for every
 * writer: the seed, the operator door and CSV import. {@link #put} is the one place a user is created or
 * changed; it runs inside the caller's transaction so that a batch can apply many users in one.
 */
public final class Users {
    /** Longest user_id, open_id and union_id. */
    public static final int MAX_ID_LENGTH = 64;
    /** Longest name of a user (characters). */
    public static final int MAX_NAME_LENGTH = Text.USER_NAME;
    /** Longest department_id a user may name. */
    public static final int MAX_DEPARTMENT_ID_LENGTH = 255;
    /** Most departments one user may be in. */
    public static final int MAX_DEPARTMENTS = 100;

    /** Ids an operator or a seed chooses: safe in a URL path segment, a CSV cell and a log line without quoting. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern OPEN_ID = Pattern.compile("ou_[A-Za-z0-9._-]{1,61}");
    private static final Pattern UNION_ID = Pattern.compile("on_[A-Za-z0-9._-]{1,61}");
    static final String USER_ID_RULE = "must be 1-" + MAX_ID_LENGTH
            + " characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit";
    static final String OPEN_ID_RULE = "must be \"ou_\" followed by 1-61 characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    static final String UNION_ID_RULE = "must be \"on_\" followed by 1-61 characters of A-Z, a-z, 0-9, '.', '_' or '-'";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] SHORT_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final DirectoryStore store;
    private final Clock clock;

    public Users(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A user as stored, with its departments (in id order) and its mailbox, if it has one (in any state). */
    public record UserView(User user, List<String> departments, UserMailbox mailbox) {
        /** The mailbox's primary address, or null. */
        public String email() {
            return mailbox == null ? null : mailbox.email();
        }
    }

    /** What {@link #put} did: the user as now stored, and whether it was created or changed at all. */
    public record Outcome(UserView view, boolean created, boolean changed) {}

    /**
     * What a change of a user asks for; null leaves a field as it is. {@code removeEmail} asks to take away the
     * user's address (refused while the user has a mailbox: deleting the user is what recycles it).
     */
    public record UserChange(String openId, String unionId, String name, String email, boolean removeEmail,
                             List<String> departmentIds) {}

    // ---- the rules ----

    /**
     * The spec checked and normalised without the store: ids of the right shape and length (null ids stay null,
     * to be generated or kept), a name of 1-255 characters without control characters, a valid ASCII email
     * (lower-cased) and at most {@value #MAX_DEPARTMENTS} departments (duplicates dropped). Throws the first
     * wrong field as INVALID_ARGUMENT / INVALID_ADDRESS with its field path.
     */
    public static UserSpec validate(UserSpec spec) {
        User u = spec.user();
        if (u.userId() != null) requireShape("user_id", u.userId(), USER_ID, USER_ID_RULE);
        if (u.openId() != null) requireShape("open_id", u.openId(), OPEN_ID, OPEN_ID_RULE);
        if (u.unionId() != null) requireShape("union_id", u.unionId(), UNION_ID, UNION_ID_RULE);
        String name = requireName(u.name());
        String email = spec.email() == null ? null : Address.parse(spec.email(), "email").toString();
        List<String> departments = requireDepartmentIds(spec.departmentIds());
        return new UserSpec(new User(u.id(), u.tenantKey(), u.userId(), u.openId(), u.unionId(), name), email, departments);
    }

    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "name", " is required");
        }
        if (Text.length(name) > MAX_NAME_LENGTH || name.codePoints().anyMatch(Character::isISOControl)) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "name",
                    " must be at most " + MAX_NAME_LENGTH + " characters without control characters");
        }
        return name;
    }

    private static List<String> requireDepartmentIds(List<String> ids) {
        if (ids == null) return List.of();
        if (ids.size() > MAX_DEPARTMENTS) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "departments",
                    " may name at most " + MAX_DEPARTMENTS + " departments");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank() || Text.length(id) > MAX_DEPARTMENT_ID_LENGTH) {
                throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "departments[" + i + "]",
                        " must be a department_id of 1-" + MAX_DEPARTMENT_ID_LENGTH + " characters");
            }
            out.add(id);
        }
        return List.copyOf(out);
    }

    private static void requireShape(String field, String value, Pattern shape, String rule) {
        if (!shape.matcher(value).matches()) throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, field, " " + rule);
    }

    // ---- the one write ----

    /**
     * Creates the user or brings the one with this user_id up to date, inside the caller's transaction (which
     * must hold the tenant lock). Absent ids are generated for a new user (user_id 8 characters of [0-9a-z], open_id
     * {@code ou_} and union_id {@code on_} followed by 32 hex digits, the shapes the platforms use) and kept for an
     * existing one. The departments replace the user's. An email gives a user without a mailbox one at that
     * address, claimed in the one namespace (refused naming the owner kind when taken); a different email for a
     * user whose mailbox is in service moves the mailbox to it and keeps the old address as its alias (as a public
     * mailbox's address change does); a null email leaves the mailbox as it is. Journals what changed; a put that
     * changes nothing journals nothing.
     */
    public static Outcome put(Records r, Caller caller, Tenant tenant, UserSpec requested, long now) {
        UserSpec spec = validate(requested);
        User u = spec.user();
        String key = tenant.key();
        User before = u.userId() == null ? null : r.tenants().user(key, new UserRef(UserIdKind.USER_ID, u.userId())).orElse(null);
        for (int i = 0; i < spec.departmentIds().size(); i++) {
            String d = spec.departmentIds().get(i);
            if (r.tenants().department(key, new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, d)).isEmpty()) {
                throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "departments[" + i + "]",
                        " names department " + d + ", which does not exist");
            }
        }
        String userId = u.userId() != null ? u.userId() : freeId(r, key, UserIdKind.USER_ID, null);
        String openId = u.openId() != null ? u.openId() : before != null ? before.openId() : freeId(r, key, UserIdKind.OPEN_ID, "ou_");
        String unionId = u.unionId() != null ? u.unionId() : before != null ? before.unionId()
                : freeId(r, key, UserIdKind.UNION_ID, "on_");
        // A generated id was found free above, and an id the user already has is its own: only a new given id is looked up.
        if (u.openId() != null && (before == null || !openId.equals(before.openId()))) {
            requireOwnId(r, key, UserIdKind.OPEN_ID, openId, before, "open_id");
        }
        if (u.unionId() != null && (before == null || !unionId.equals(before.unionId()))) {
            requireOwnId(r, key, UserIdKind.UNION_ID, unionId, before, "union_id");
        }

        UserMailbox mailbox = before == null ? null : r.mailboxes().byUser(before.id()).orElse(null);
        Address email = spec.email() == null ? null : Address.parse(spec.email(), "email");
        if (email != null) requireMailboxChange(r, tenant, mailbox, email);

        List<String> departmentsBefore = before == null ? null : r.tenants().departmentsOf(before.id());
        User user = r.tenants().upsertUser(new User(before == null ? null : before.id(), key, userId, openId, unionId, u.name()),
                spec.departmentIds());
        List<String> departments = r.tenants().departmentsOf(user.id());
        Map<String, Object> after = States.user(user, departments);
        boolean changed = before == null;
        if (before == null) {
            Journal.created(r, caller, now, ObjectKind.USER, user.userId(), after);
        } else {
            Map<String, Object> was = States.user(before, departmentsBefore);
            changed = !was.equals(after);
            Journal.updated(r, caller, now, ObjectKind.USER, user.userId(), was, after);
        }
        if (email != null && (mailbox == null || !mailbox.email().equals(email.toString()))) {
            mailbox = mailbox == null
                    ? Mailboxes.createMailbox(r, caller, tenant, email, user.id(), firstName(user.name()), lastName(user.name()), now)
                    : Mailboxes.changeAddress(r, caller, tenant, mailbox, email, now);
            changed = true;
        }
        return new Outcome(new UserView(user, departments, mailbox), before == null, changed);
    }

    /**
     * Refuses an address the user cannot be given: not on one of the tenant's domains, owned by anyone else, over
     * the tenant's mailbox limit (a new mailbox), or a new address for a mailbox in the recycle bin.
     */
    private static void requireMailboxChange(Records r, Tenant tenant, UserMailbox mailbox, Address email) {
        if (mailbox != null && mailbox.email().equals(email.toString())) return;
        if (!Namespace.isTenantDomain(r, tenant.key(), email.domain())) {
            throw new DirectoryException(Reason.INVALID_ADDRESS,
                    "domain " + email.domain() + " is not a domain of this tenant", "email");
        }
        Optional<AddressEntry> owner = r.addresses().find(email.toString());
        boolean ownAlias = mailbox != null && owner.isPresent() && owner.get().ownerId().equals(mailbox.id());
        if (owner.isPresent() && !ownAlias) throw taken(owner.get());
        if (mailbox == null) {
            if (r.mailboxes().countInService(tenant.key()) >= tenant.limits().userMailboxes()) {
                throw new DirectoryException(Reason.MAILBOX_LIMIT_REACHED, "the tenant has reached its limit of "
                        + tenant.limits().userMailboxes() + " user mailboxes");
            }
        } else if (mailbox.status() == MailboxStatus.RECYCLED) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "the user's mailbox " + mailbox.email()
                    + " is in the recycle bin: release it before giving the user another address", "email");
        }
    }

    /** The refusal of an address that is already owned, naming the kind of its owner. */
    public static DirectoryException taken(AddressEntry owner) {
        Reason reason = owner.kind() == AddressKind.USER_MAILBOX ? Reason.ADDRESS_IS_LOGIN_ACCOUNT : Reason.ADDRESS_TAKEN;
        return new DirectoryException(reason, owner.address() + " is already the address of " + ownerNoun(owner.kind()), "email");
    }

    /** "a user mailbox", "an alias of a mail group", … */
    public static String ownerNoun(AddressKind kind) {
        return switch (kind) {
            case USER_MAILBOX -> "a user mailbox";
            case USER_ALIAS -> "an alias of a user mailbox";
            case PUBLIC_MAILBOX -> "a public mailbox";
            case PUBLIC_ALIAS -> "an alias of a public mailbox";
            case MAIL_GROUP -> "a mail group";
            case GROUP_ALIAS -> "an alias of a mail group";
        };
    }

    private static void requireOwnId(Records r, String key, UserIdKind kind, String value, User self, String field) {
        Optional<User> holder = r.tenants().user(key, new UserRef(kind, value));
        if (holder.isPresent() && (self == null || !holder.get().id().equals(self.id()))) {
            throw new DirectoryException(Reason.USER_TAKEN, field + " " + value + " belongs to user " + holder.get().userId(), field);
        }
    }

    /** A generated id of the kind that no user of the tenant has. */
    private static String freeId(Records r, String key, UserIdKind kind, String prefix) {
        while (true) {
            String id = prefix == null ? shortId(8) : prefix + HexFormat.of().formatHex(randomBytes(16));
            if (r.tenants().user(key, new UserRef(kind, id)).isEmpty()) return id;
        }
    }

    private static String shortId(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = SHORT_ALPHABET[RANDOM.nextInt(SHORT_ALPHABET.length)];
        return new String(out);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The first word of a user's name, as a mailbox's first name (at most a mailbox name's length). */
    public static String firstName(String name) {
        int space = name == null ? -1 : name.indexOf(' ');
        return name == null ? "" : cut(space < 0 ? name : name.substring(0, space));
    }

    /** The rest of a user's name, as a mailbox's last name. */
    public static String lastName(String name) {
        int space = name == null ? -1 : name.indexOf(' ');
        return space < 0 ? "" : cut(name.substring(space + 1));
    }

    private static String cut(String s) {
        return Text.cut(s, Mailboxes.MAX_NAME_LENGTH);
    }

    // ---- operations ----

    /** Creates a user; refused (USER_TAKEN) when the user_id is already a user's. */
    public UserView create(Caller caller, UserSpec spec) {
        UserSpec checked = validate(spec);
        long now = clock.millis();
        String key = caller.tenantKey();
        return store.writeTenant(key, r -> {
            Tenant tenant = Tenants.require(r, key);
            String userId = checked.user().userId();
            if (userId != null && r.tenants().user(key, new UserRef(UserIdKind.USER_ID, userId)).isPresent()) {
                throw new DirectoryException(Reason.USER_TAKEN, "user_id " + userId + " is already a user's", "user_id");
            }
            return put(r, caller, tenant, checked, now).view();
        });
    }

    /** Creates or updates by user_id, in a transaction of its own. */
    public Outcome put(Caller caller, UserSpec spec) {
        UserSpec checked = validate(spec);
        long now = clock.millis();
        String key = caller.tenantKey();
        return store.writeTenant(key, r -> put(r, caller, Tenants.require(r, key), checked, now));
    }

    /** Changes the fields given; read and written in one transaction, so two changes never undo each other. */
    public UserView update(Caller caller, String userId, UserChange change) {
        long now = clock.millis();
        String key = caller.tenantKey();
        return store.writeTenant(key, r -> {
            Tenant tenant = Tenants.require(r, key);
            UserView current = require(r, key, userId);
            if (change.removeEmail() && current.mailbox() != null) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, "the user has the mailbox " + current.email()
                        + "; a user's mailbox leaves only with the user (DELETE moves it to the recycle bin)", "email");
            }
            User u = current.user();
            User wanted = new User(u.id(), key, u.userId(), change.openId() != null ? change.openId() : u.openId(),
                    change.unionId() != null ? change.unionId() : u.unionId(), change.name() != null ? change.name() : u.name());
            List<String> departments = change.departmentIds() != null ? change.departmentIds() : current.departments();
            return put(r, caller, tenant, new UserSpec(wanted, change.email(), departments), now).view();
        });
    }

    /**
     * Deletes a user: its mailbox goes to the recycle bin without it (its address and aliases stay reserved, an
     * address query answers "in the recycle bin", and releasing it frees them), and its group memberships,
     * manager rows and public mailbox memberships go, each journalled; the user row itself is removed, so its
     * user_id, open_id and union_id can be given again.
     */
    public void delete(Caller caller, String userId) {
        long now = clock.millis();
        String key = caller.tenantKey();
        store.writeTenant(key, r -> {
            Tenants.require(r, key);
            UserView v = require(r, key, userId);
            if (v.mailbox() != null) Mailboxes.forgetUser(r, caller, v.mailbox(), now);
            MailGroups.forgetUser(r, caller, v.user(), now);
            PublicMailboxes.forgetUser(r, caller, v.user(), now);
            r.tenants().deleteUser(v.user().id());
            Journal.deleted(r, caller, now, ObjectKind.USER, v.user().userId(), States.user(v.user(), v.departments()));
            return null;
        });
    }

    /** A filter and page of {@link #list}: all null but the limit lists everyone from the first user_id. */
    public record UserQuery(String afterUserId, String search, String departmentId, int limit) {}

    /**
     * The tenant's users in user_id order (code point by code point), a page at a time; see
     * {@link Records.TenantRecords#listUsers}. A department that does not exist is DEPARTMENT_NOT_FOUND.
     */
    public List<UserView> list(Caller caller, UserQuery query) {
        String key = caller.tenantKey();
        return store.read(r -> {
            Tenants.require(r, key);
            if (query.departmentId() != null && r.tenants().department(key,
                    new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, query.departmentId())).isEmpty()) {
                throw new DirectoryException(Reason.DEPARTMENT_NOT_FOUND, "department " + query.departmentId() + " not found");
            }
            String search = query.search() == null || query.search().isEmpty() ? null : query.search();
            return views(r, r.tenants().listUsers(key, query.afterUserId(), search, query.departmentId(), query.limit()));
        });
    }

    public UserView get(Caller caller, String userId) {
        return store.read(r -> {
            Tenants.require(r, caller.tenantKey());
            return require(r, caller.tenantKey(), userId);
        });
    }

    static UserView require(Records r, String key, String userId) {
        User user = (userId == null ? Optional.<User>empty() : r.tenants().user(key, new UserRef(UserIdKind.USER_ID, userId)))
                .orElseThrow(() -> new DirectoryException(Reason.USER_NOT_FOUND, "user " + userId + " not found"));
        return new UserView(user, r.tenants().departmentsOf(user.id()), r.mailboxes().byUser(user.id()).orElse(null));
    }

    /** Users with their departments and mailboxes, read with three queries however many there are. */
    public static List<UserView> views(Records r, List<User> users) {
        if (users.isEmpty()) return List.of();
        List<String> ids = users.stream().map(User::id).toList();
        Map<String, List<String>> departments = r.tenants().departmentsOfAll(ids);
        Map<String, UserMailbox> mailboxes = r.mailboxes().byUsers(ids);
        List<UserView> out = new ArrayList<>();
        for (User u : users) out.add(new UserView(u, departments.getOrDefault(u.id(), List.of()), mailboxes.get(u.id())));
        return out;
    }
}
