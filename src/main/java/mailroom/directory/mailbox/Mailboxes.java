package mailroom.directory.mailbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.KindCache;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.Aliases;
import mailroom.directory.address.Namespace;
import mailroom.directory.address.RecycleBin;
import mailroom.directory.tenant.Accounts;
import mailroom.directory.tenant.Accounts.Slice;
import mailroom.directory.tenant.Accounts.Workspace;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.User;

/**
 * User mailboxes, whichever door made them: a user's mailbox (its address is the user's login account)
 * or one made on its own; creation one by one or in bulk, names, pause and resume, the recycle bin and
 * release, and aliases including one catch-all per domain.
 */
public final class Mailboxes {
    public static final int MAX_BULK_ITEMS = 1000;
    /** Longest first or last name ({@link Text#MAILBOX_NAME}). */
    public static final int MAX_NAME_LENGTH = Text.MAILBOX_NAME;
    static final String LOCAL_PART_SHAPE = "must be 1-64 characters of a-z, 0-9, '.', '_', '+' or '-',"
            + " without a leading, trailing or doubled '.'";
    static final String LOCAL_PART_RULE = "local_part " + LOCAL_PART_SHAPE;

    /** Default quota for a new mailbox: 50 GiB, in bytes. */
    public static final long DEFAULT_QUOTA_BYTES = 50L * 1024 * 1024 * 1024;

    /** Listing totals kept at most (a full cache starts over). */
    private static final int TOTALS_KEPT = 1024;

    private final DirectoryStore store;
    private final Clock clock;
    private final Aliases aliases;
    /**
     * The totals of listings whose page was full, while no mailbox (nor tenant) changed: counting a common search
     * term visits every match, and paging through a listing asks for the same total on every page.
     */
    private final KindCache<Listing, Long> totals;

    /** What a listing's total depends on: the tenant, the domain (null: all) and the search (null: none). */
    private record Listing(String tenantKey, String domainId, String search) {}

    public Mailboxes(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.totals = new KindCache<>(store, TOTALS_KEPT, ObjectKind.USER_MAILBOX, ObjectKind.TENANT);
        this.aliases = new Aliases(store, clock, AddressKind.USER_ALIAS, (r, tenantKey, ref) -> {
            UserMailbox mailbox = requireInService(r, tenantKey, ref);
            return new Namespace.Owner(mailbox.id(), mailbox.email());
        });
    }

    /**
     * Aliases of a mailbox named by id or address, for doors without catch-alls (a mailbox in the
     * recycle bin is not found).
     */
    public Aliases aliases() {
        return aliases;
    }

    /** One mailbox a client asks for; the address is local_part at the request's domain. */
    public record NewMailbox(String localPart, String firstName, String lastName) {}

    /** A mailbox with its aliases and the workspace it belongs to. */
    public record View(UserMailbox mailbox, List<AddressEntry> aliases, Workspace workspace) {}

    /** Why one bulk item was not created; the door shows these as stable snake_case codes. */
    public enum FailureCode { INVALID_LOCAL_PART, INVALID_NAME, DUPLICATE_IN_REQUEST, ADDRESS_TAKEN, LIMIT_REACHED }

    public record Created(int index, View mailbox) {}

    /** A refused item: its code for bulk answers, and the reason and field a single create throws. */
    public record Failed(int index, FailureCode code, String message, Reason reason, String field) {}

    public record BulkResult(List<Created> created, List<Failed> failed) {}

    // ---- listing and reading ----

    /** Mailboxes in service; a workspace other than the account's one matches nothing. */
    public Slice<View> list(Caller caller, String domainRef, String workspaceId, String search, int page,
                            int pageSize) {
        String tenantKey = caller.tenantKey();
        OptionalLong unchangedSince = totals.mark();
        return store.read(r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            Workspace workspace = Accounts.workspaceOf(tenant);
            String domainId = domainRef == null ? null : Accounts.requireDomain(r, tenantKey, domainRef).id();
            if (workspaceId != null && !workspaceId.equalsIgnoreCase(workspace.id())) {
                return new Slice<View>(List.of(), 0);
            }
            String q = search == null || search.isEmpty() ? null : search;
            long offset = (long) (page - 1) * pageSize;
            // The page first: one that is not full ends the list, so it says the total itself and the count
            // (every match visited, however the rows are found) is only run when the page cannot tell.
            List<UserMailbox> rows = offset > Integer.MAX_VALUE ? List.of()
                    : r.mailboxes().list(tenantKey, domainId, q, (int) offset, pageSize);
            long total = rows.size() < pageSize && (!rows.isEmpty() || offset == 0) ? offset + rows.size()
                    : totals.get(unchangedSince, new Listing(tenantKey, domainId, q),
                    l -> r.mailboxes().count(l.tenantKey(), l.domainId(), l.search()));
            return new Slice<>(views(r, rows, workspace), total);
        });
    }

    public View get(Caller caller, String mailboxRef) {
        return store.read(r -> view(r, Tenants.require(r, caller.tenantKey()), requireByRef(r, caller.tenantKey(), mailboxRef)));
    }

    // ---- creation ----

    /** Creates one mailbox by the same rules as a bulk item; a refusal throws instead of being listed. */
    public View create(Caller caller, String domainRef, NewMailbox item) {
        BulkResult result = bulkCreate(caller, domainRef, List.of(item));
        if (!result.failed().isEmpty()) {
            Failed f = result.failed().get(0);
            throw new DirectoryException(f.reason(), f.message(), f.field());
        }
        return result.created().get(0).mailbox();
    }

    /**
     * Creates every acceptable item in one transaction and says for each index why the others were not.
     * Items are validated before the transaction; inside it the tenant lock serialises bulk writes of the
     * tenant (PostgreSQL; SQLite has one writer anyway), so one lookup of all addresses stays true until
     * the batch inserts commit. Unknown domain refuses the whole request.
     */
    public BulkResult bulkCreate(Caller caller, String domainRef, List<NewMailbox> items) {
        String tenantKey = caller.tenantKey();
        if (items.isEmpty() || items.size() > MAX_BULK_ITEMS) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "mailboxes",
                    " must have between 1 and " + MAX_BULK_ITEMS + " entries");
        }
        Failed[] failures = new Failed[items.size()];
        String[] locals = new String[items.size()];
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            NewMailbox item = items.get(i);
            String local = normaliseLocalPart(item.localPart());
            String badName = badNameField(item.firstName(), item.lastName());
            if (local == null) {
                failures[i] = new Failed(i, FailureCode.INVALID_LOCAL_PART, LOCAL_PART_RULE, Reason.INVALID_ADDRESS,
                        "local_part");
            } else if (badName != null) {
                failures[i] = new Failed(i, FailureCode.INVALID_NAME, nameRule(badName), Reason.INVALID_ARGUMENT, badName);
            } else {
                Integer first = firstIndex.putIfAbsent(local, i);
                if (first != null) {
                    failures[i] = new Failed(i, FailureCode.DUPLICATE_IN_REQUEST,
                            "local_part " + local + " is also requested by item " + first, Reason.INVALID_ARGUMENT,
                            "local_part");
                } else {
                    locals[i] = local;
                }
            }
        }
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            Domain domain = Accounts.requireDomain(r, tenantKey, domainRef);
            List<String> wanted = new ArrayList<>();
            for (String local : locals) if (local != null) wanted.add(local + "@" + domain.name());
            Map<String, AddressEntry> taken = Namespace.owners(r, tenantKey, wanted);
            long room = tenant.limits().userMailboxes() - r.mailboxes().countInService(tenantKey);
            List<AddressEntry> entries = new ArrayList<>();
            List<UserMailbox> mailboxes = new ArrayList<>();
            List<Integer> createdIndexes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (locals[i] == null) continue;
                String address = locals[i] + "@" + domain.name();
                AddressEntry existing = taken.get(address);
                if (existing != null) {
                    DirectoryException conflict = Namespace.conflict(existing, AddressKind.USER_MAILBOX);
                    failures[i] = new Failed(i, FailureCode.ADDRESS_TAKEN, conflict.getMessage(), conflict.reason(),
                            "local_part");
                } else if (room <= 0) {
                    failures[i] = new Failed(i, FailureCode.LIMIT_REACHED, "the account has reached its limit of "
                            + tenant.limits().userMailboxes() + " mailboxes", Reason.MAILBOX_LIMIT_REACHED, null);
                } else {
                    room--;
                    NewMailbox item = items.get(i);
                    String id = Ids.uuid();
                    entries.add(new AddressEntry(address, tenantKey, domain.id(), AddressKind.USER_MAILBOX, id, false, now));
                    mailboxes.add(new UserMailbox(id, tenantKey, address, domain.id(), domain.name(), null,
                            item.firstName(), item.lastName(), MailboxStatus.ACTIVE,
                            DEFAULT_QUOTA_BYTES, 0, now, now));
                    createdIndexes.add(i);
                }
            }
            Namespace.claimAll(r, tenantKey, entries);
            r.mailboxes().insertAll(mailboxes);
            for (UserMailbox m : mailboxes) {
                Journal.created(r, caller, now, Change.ObjectKind.USER_MAILBOX, m.id(), States.userMailbox(m, null));
            }
            Workspace workspace = Accounts.workspaceOf(tenant);
            List<Created> created = new ArrayList<>();
            for (int k = 0; k < mailboxes.size(); k++) {
                created.add(new Created(createdIndexes.get(k), new View(mailboxes.get(k), List.of(), workspace)));
            }
            List<Failed> failed = Arrays.stream(failures).filter(Objects::nonNull).toList();
            return new BulkResult(created, failed);
        });
    }

    // ---- changes ----

    /** Changes the names that are given; null leaves a name as it is. */
    public View update(Caller caller, String mailboxRef, String firstName, String lastName) {
        String tenantKey = caller.tenantKey();
        String badName = badNameField(firstName == null ? "" : firstName, lastName == null ? "" : lastName);
        if (badName != null) throw new DirectoryException(Reason.INVALID_ARGUMENT, nameRule(badName), badName);
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            UserMailbox m = requireByRef(r, tenantKey, mailboxRef);
            String first = firstName != null ? firstName : m.firstName();
            String last = lastName != null ? lastName : m.lastName();
            if (first.equals(m.firstName()) && last.equals(m.lastName())) return view(r, tenant, m);
            return view(r, tenant, save(r, caller, m, first, last, m.status(), now));
        });
    }

    /** Pauses (cannot log in or send, still receives) or resumes a mailbox; repeating either changes nothing. */
    public View setActive(Caller caller, String mailboxRef, boolean active) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            UserMailbox m = requireByRef(r, tenantKey, mailboxRef);
            MailboxStatus status = active ? MailboxStatus.ACTIVE : MailboxStatus.PAUSED;
            if (m.status() == status) return view(r, tenant, m);
            return view(r, tenant, save(r, caller, m, m.firstName(), m.lastName(), status, now));
        });
    }

    /**
     * Takes the mailbox out of service into the recycle bin: it disappears from this door, and its address
     * and aliases stay reserved (an address query answers "in recycle bin") until it is released.
     */
    public void delete(Caller caller, String mailboxRef) {
        long now = clock.millis();
        store.writeTenant(caller.tenantKey(), r -> recycle(r, caller, requireByRef(r, caller.tenantKey(), mailboxRef), now));
    }

    // ---- aliases ----

    /**
     * Adds an alias on the mailbox's own domain. A catch-all alias is an ordinary alias address flagged to
     * also receive mail for every local part of the domain that no one owns; one per domain.
     */
    public AddressEntry addAlias(Caller caller, String mailboxRef, String aliasRaw, boolean catchAll) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        return store.writeTenant(tenantKey, r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            UserMailbox m = requireByRef(r, tenantKey, mailboxRef);
            // Address.parse lower-cases first, so a non-ASCII alias must be refused before it (see normaliseLocalPart)
            if (aliasRaw != null && !isAscii(aliasRaw)) {
                throw DirectoryException.ofField(Reason.INVALID_ADDRESS, "alias", " is not a valid mail address");
            }
            Address alias = Address.parse(aliasRaw, "alias");
            if (normaliseLocalPart(alias.localPart()) == null) {
                throw new DirectoryException(Reason.INVALID_ADDRESS, "the local part of alias " + LOCAL_PART_SHAPE, "alias");
            }
            if (!alias.domain().equals(m.domainName())) {
                throw DirectoryException.ofField(Reason.INVALID_ADDRESS, "alias",
                        " must be on the mailbox's domain " + m.domainName());
            }
            return Namespace.addAlias(r, caller, tenant, new Namespace.Owner(m.id(), m.email()), alias,
                    AddressKind.USER_ALIAS, catchAll, "a mailbox", now);
        });
    }

    public List<AddressEntry> aliases(Caller caller, String mailboxRef) {
        return store.read(r -> r.addresses().aliasesOf(requireByRef(r, caller.tenantKey(), mailboxRef).id()));
    }

    public void removeAlias(Caller caller, String mailboxRef, String alias) {
        long now = clock.millis();
        store.writeTenant(caller.tenantKey(), r -> {
            UserMailbox m = requireByRef(r, caller.tenantKey(), mailboxRef);
            Namespace.removeAlias(r, caller, new Namespace.Owner(m.id(), m.email()), alias, now);
            return null;
        });
    }

    /**
     * Where mail to an address goes: its owner when the address has one, otherwise the catch-all of its
     * domain, so a catch-all never shadows an existing address.
     */
    public Optional<AddressEntry> deliveryTarget(String address) {
        String normalised = Address.lookupKey(address).orElse("");
        return store.read(r -> {
            Optional<AddressEntry> owner = r.addresses().find(normalised);
            if (owner.isPresent()) return owner;
            int at = normalised.lastIndexOf('@');
            if (at < 0) return Optional.<AddressEntry>empty();
            return r.tenants().domainByName(normalised.substring(at + 1))
                    .flatMap(d -> r.addresses().catchAllOf(d.id()));
        });
    }

    // ---- the recycle bin ----

    /** Claims the address and stores the mailbox; the caller's transaction makes both or neither. */
    public static UserMailbox createMailbox(Records r, Caller caller, Tenant tenant, Address address, String userRef,
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

    /**
     * Gives a mailbox in service a new primary address, inside the caller's transaction: the old address stays
     * with it as an alias (mail to it still arrives), or swaps with the alias when the new address is its own
     * alias; a full alias list refuses the change (see {@link Namespace#moveKeepingAlias}).
     */
    public static UserMailbox changeAddress(Records r, Caller caller, Tenant tenant, UserMailbox m, Address to, long now) {
        Domain domain = Namespace.domainOf(r, tenant.key(), to);
        Namespace.moveKeepingAlias(r, caller, tenant, new Namespace.Owner(m.id(), m.email()), to,
                AddressKind.USER_MAILBOX, AddressKind.USER_ALIAS, now);
        UserMailbox changed = new UserMailbox(m.id(), m.tenantKey(), to.toString(), domain.id(), domain.name(), m.userRef(),
                m.firstName(), m.lastName(), m.status(), m.quotaAllowed(), m.quotaUsed(), m.createdAt(), now);
        r.mailboxes().update(changed);
        Journal.updated(r, caller, now, ObjectKind.USER_MAILBOX, m.id(), state(r, m), state(r, changed));
        return changed;
    }

    /**
     * The mailbox of a user being deleted, inside the caller's transaction: it no longer names the user and goes to
     * the recycle bin (if it is not there already), where its address and aliases stay reserved until released.
     */
    public static UserMailbox forgetUser(Records r, Caller caller, UserMailbox m, long now) {
        UserMailbox changed = new UserMailbox(m.id(), m.tenantKey(), m.email(), m.domainId(), m.domainName(), null,
                m.firstName(), m.lastName(), MailboxStatus.RECYCLED, m.quotaAllowed(), m.quotaUsed(), m.createdAt(), now);
        java.util.Map<String, Object> before = state(r, m);
        r.mailboxes().update(changed);
        if (m.status() != MailboxStatus.RECYCLED) {
            Journal.recycled(r, caller, now, ObjectKind.USER_MAILBOX, m.id(), before, state(r, changed));
        } else {
            Journal.updated(r, caller, now, ObjectKind.USER_MAILBOX, m.id(), before, state(r, changed));
        }
        return changed;
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
                RecycleBin.forwardTarget(r, tenantKey, transferMailbox, mailbox.id(), "transfer_to");
            }
            Namespace.releaseAll(r, caller, new Namespace.Owner(mailbox.id(), mailbox.email()), now);
            r.mailboxes().delete(mailbox.id());
            Journal.deleted(r, caller, now, ObjectKind.USER_MAILBOX, mailbox.id(), state(r, mailbox));
            return null;
        });
    }


    // ---- rules and helpers ----

    /**
     * The lower-cased local part when it follows {@link #LOCAL_PART_RULE}, else null. The input must be ASCII
     * before it is lower-cased: Unicode lower-casing maps some non-ASCII letters to ASCII ones (the Kelvin
     * sign U+212A to 'k'), which would turn "\u212Aim" into someone else's "kim".
     */
    static String normaliseLocalPart(String raw) {
        if (raw == null || !isAscii(raw)) return null;
        String local = raw.toLowerCase(Locale.ROOT);
        if (local.isEmpty() || local.length() > 64 || !local.matches("[a-z0-9._+-]+")) return null;
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) return null;
        return local;
    }

    static boolean isAscii(String s) {
        return Address.isAscii(s);
    }

    /** The first name field that is too long or has control characters, else null. */
    private static String badNameField(String firstName, String lastName) {
        if (!nameOk(firstName)) return "first_name";
        if (!nameOk(lastName)) return "last_name";
        return null;
    }

    private static boolean nameOk(String name) {
        return name != null && Text.length(name) <= MAX_NAME_LENGTH
                && name.codePoints().noneMatch(Character::isISOControl);
    }

    private static String nameRule(String field) {
        return field + " must be at most " + MAX_NAME_LENGTH + " characters without control characters";
    }

    /**
     * A mailbox in service (not in the recycle bin), by UUID or primary address. A non-ASCII reference names
     * nothing (every id and address is ASCII) and is not lower-cased into one that does (U+212A → k).
     */
    static UserMailbox requireByRef(Records r, String tenantKey, String mailboxRef) {
        // UUIDs are matched in any case too, unlike opaque short ids.
        return Address.lookupKey(mailboxRef).map(key -> Accounts.isUuid(key) ? key.toLowerCase(Locale.ROOT) : key)
                .flatMap(key -> r.mailboxes().find(tenantKey, key)).filter(m -> m.status() != MailboxStatus.RECYCLED)
                .orElseThrow(() -> new DirectoryException(Reason.MAILBOX_NOT_FOUND, "Mailbox not found"));
    }

    private static View view(Records r, Tenant tenant, UserMailbox m) {
        return new View(m, r.addresses().aliasesOf(m.id()), Accounts.workspaceOf(tenant));
    }

    private static List<View> views(Records r, List<UserMailbox> rows, Workspace workspace) {
        Map<String, List<AddressEntry>> aliases = new HashMap<>();
        for (AddressEntry a : r.addresses().aliasesOfAll(rows.stream().map(UserMailbox::id).toList())) {
            aliases.computeIfAbsent(a.ownerId(), k -> new ArrayList<>()).add(a);
        }
        return rows.stream().map(m -> new View(m, aliases.getOrDefault(m.id(), List.of()), workspace)).toList();
    }
}
