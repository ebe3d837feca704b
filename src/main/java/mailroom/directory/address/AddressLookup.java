package mailroom.directory.address;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.KindCache;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.User;

/**
 * Answers "what is this address?" for a batch of addresses: whether it is valid,
 * in one of the tenant's domains, owned, and whether its owner is in service, disabled or in the
 * recycle bin. Addresses of other tenants read as "no such domain", so nothing leaks across tenants.
 */
public final class AddressLookup {
    /** Most addresses one query may ask about; the platforms leave it unpublished, we chose 50. */
    public static final int MAX_ADDRESSES = 50;

    public enum Status { INVALID, NO_SUCH_DOMAIN, NO_SUCH_ADDRESS, ENABLED, RECYCLED, DISABLED }

    /** One answer; {@code kind} is null unless the address has an owner. {@code email} is as asked. */
    public record Answer(String email, Status status, AddressKind kind) {}

    /** Domain answers kept: every (tenant, domain) a query asks about, also domains nobody has. */
    private static final int DOMAINS_KEPT = 10_000;

    /** Address answers kept: a few MB at most. */
    private static final int ADDRESSES_KEPT = 50_000;
    /**
     * Every kind an address's answer depends on: its domain, what owns the address (a mailbox, a group, one of their
     * aliases) and the owner's state; users too, as deleting a user takes their mailbox with it.
     */
    private static final ObjectKind[] ADDRESS_KINDS = {ObjectKind.TENANT, ObjectKind.DOMAIN, ObjectKind.USER,
        ObjectKind.USER_MAILBOX, ObjectKind.USER_MAILBOX_ALIAS, ObjectKind.PUBLIC_MAILBOX, ObjectKind.PUBLIC_MAILBOX_ALIAS,
        ObjectKind.MAIL_GROUP, ObjectKind.MAIL_GROUP_ALIAS};

    private record TenantDomain(String tenantKey, String domain) {}

    private record TenantAddress(String tenantKey, String address) {}

    /** A valid address's answer, whatever spelling it was asked in. */
    private record Known(Status status, AddressKind kind) {
        Answer as(String email) {
            return new Answer(email, status, kind);
        }
    }

    private final DirectoryStore store;
    /** Whether a domain is the tenant's: domains change rarely, and asking was one of a query's three statements. */
    private final KindCache<TenantDomain, Boolean> domainsKept;
    /**
     * Each address's answer: provisioning asks about the same addresses again and again between changes, and a query
     * all of whose answers are kept reads nothing.
     */
    private final KindCache<TenantAddress, Known> addressesKept;
    /** Every address's answer at once, where the store vouches for it: at any size a query then reads nothing. */
    private final AddressImage image;
    /** The image's answers by code, made once. */
    private static final Known[] IMAGE_ANSWERS = imageAnswers();

    public AddressLookup(DirectoryStore store) {
        this.store = store;
        this.domainsKept = new KindCache<>(store, DOMAINS_KEPT, ObjectKind.DOMAIN, ObjectKind.TENANT);
        // A million mailboxes asked about at random would only churn the cache: an answer is kept when asked again.
        this.addressesKept = new KindCache<TenantAddress, Known>(store, ADDRESSES_KEPT, ADDRESS_KINDS).keepingRepeatedKeysOnly();
        this.image = new AddressImage(store, addressesKept::mark);
    }

    /** Whether the next query would be answered from the address image alone (tests). */
    boolean answersFromImage() {
        return image.current(addressesKept.mark()) != null;
    }

    /** How many times the address image was built whole (tests). */
    int imageBuilds() {
        return image.builds();
    }

    private static Known[] imageAnswers() {
        Known[] out = new Known[1 + AddressKind.values().length * 3];
        for (int code = 1; code < out.length; code++) {
            out[code] = new Known(AddressImage.Table.status(code), AddressImage.Table.kind(code));
        }
        return out;
    }

    /** How many addresses the whole namespace holds, across tenants; one cheap read (operator metrics). */
    public long total() {
        return store.read(r -> r.addresses().count());
    }

    /** What owns an address: the mailbox or group itself, also when the address is one of its aliases. */
    public enum OwnerKind { USER_MAILBOX, PUBLIC_MAILBOX, MAIL_GROUP }

    /**
     * Who owns an address, the same for every kind of owner: the owner's kind, id and primary address, whether the
     * address is one of its aliases (and a catch-all), the user whose mailbox it is (null for others) and the
     * owner's state (a group is always ACTIVE).
     */
    public record Ownership(String address, OwnerKind ownerKind, String ownerId, String primaryAddress, boolean alias,
                            boolean catchAll, String userId, MailboxStatus status) {}

    /**
     * The owner of one address of the tenant; empty when nobody owns it or it is not on one of the tenant's
     * domains (another tenant's address reads as unowned, so nothing leaks across tenants). An address that is not
     * valid is INVALID_ADDRESS.
     */
    public Optional<Ownership> owner(Caller caller, String raw) {
        String tenantKey = caller.tenantKey();
        Address address = Address.parse(raw, "address");
        return store.read(r -> {
            Tenants.require(r, tenantKey);
            return r.addresses().find(address.toString()).filter(e -> e.tenantKey().equals(tenantKey))
                    .map(e -> ownership(r, tenantKey, e));
        });
    }

    private static Ownership ownership(Records r, String tenantKey, AddressEntry e) {
        return switch (e.kind()) {
            case USER_MAILBOX, USER_ALIAS -> {
                UserMailbox m = r.mailboxes().find(tenantKey, e.ownerId()).orElseThrow();
                String userId = m.userRef() == null ? null : r.tenants().userById(m.userRef()).map(User::userId).orElse(null);
                yield new Ownership(e.address(), OwnerKind.USER_MAILBOX, m.id(), m.email(), e.kind().isAlias(), e.catchAll(),
                        userId, m.status());
            }
            case PUBLIC_MAILBOX, PUBLIC_ALIAS -> {
                PublicMailbox m = r.publicMailboxes().find(tenantKey, e.ownerId()).orElseThrow();
                yield new Ownership(e.address(), OwnerKind.PUBLIC_MAILBOX, m.id(), m.email(), e.kind().isAlias(), e.catchAll(),
                        null, m.status());
            }
            case MAIL_GROUP, GROUP_ALIAS -> {
                MailGroup g = r.mailGroups().find(tenantKey, e.ownerId()).orElseThrow();
                yield new Ownership(e.address(), OwnerKind.MAIL_GROUP, g.id(), g.email(), e.kind().isAlias(), e.catchAll(),
                        null, MailboxStatus.ACTIVE);
            }
        };
    }

    /** One answer per asked address, in the order asked (duplicates answered again). */
    public List<Answer> query(Caller caller, List<String> emails) {
        String tenantKey = caller.tenantKey();
        if (emails == null || emails.isEmpty()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "addresses", " is required");
        }
        if (emails.size() > MAX_ADDRESSES) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "addresses",
                    " may hold at most " + MAX_ADDRESSES + " addresses");
        }
        for (int i = 0; i < emails.size(); i++) {
            if (emails.get(i) == null) {
                throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "addresses[" + i + "]", " must be a string");
            }
        }
        // Each distinct spelling parsed once, and its normalised form built once (the key of every map below).
        Map<String, Asked> parsed = new HashMap<>();
        for (String email : emails) {
            if (parsed.containsKey(email)) continue;
            try {
                Address address = Address.parse(email, "address");
                parsed.put(email, new Asked(new TenantAddress(tenantKey, address.toString()), address.domain()));
            } catch (DirectoryException e) {
                parsed.put(email, null);
            }
        }
        OptionalLong addressChanges = addressesKept.mark();
        List<Answer> fromImage = fromImage(tenantKey, emails, parsed, addressChanges);
        if (fromImage != null) return fromImage;
        Map<TenantAddress, Known> known = new HashMap<>();
        // Spellings of one address (case) share a key: each key is looked up, and read, once.
        Map<TenantAddress, Asked> unknown = new LinkedHashMap<>();
        for (Asked asked : parsed.values()) {
            if (asked == null || known.containsKey(asked.key()) || unknown.containsKey(asked.key())) continue;
            Known hit = addressesKept.kept(addressChanges, asked.key());
            if (hit != null) known.put(asked.key(), hit);
            else unknown.put(asked.key(), asked);
        }
        if (!unknown.isEmpty()) {
            Map<TenantAddress, Known> read = read(tenantKey, unknown.values());
            read.forEach((key, answer) -> addressesKept.keep(addressChanges, key, answer));
            known.putAll(read);
        }
        List<Answer> out = new ArrayList<>(emails.size());
        for (String email : emails) {
            Asked asked = parsed.get(email);
            out.add(asked == null ? new Answer(email, Status.INVALID, null) : known.get(asked.key()).as(email));
        }
        return out;
    }

    /**
     * The answers from the address image when it is current under {@code addressChanges} and every domain asked
     * about is kept; else null (the caller reads the store).
     */
    private List<Answer> fromImage(String tenantKey, List<String> emails, Map<String, Asked> parsed, OptionalLong addressChanges) {
        AddressImage.Table table = image.current(addressChanges);
        if (table == null) return null;
        OptionalLong domainChanges = domainsKept.mark();
        List<Answer> out = new ArrayList<>(emails.size());
        for (String email : emails) {
            Asked asked = parsed.get(email);
            if (asked == null) {
                out.add(new Answer(email, Status.INVALID, null));
                continue;
            }
            Boolean inTenant = domainsKept.kept(domainChanges, new TenantDomain(tenantKey, asked.domain()));
            if (inTenant == null) return null;
            if (!inTenant) {
                out.add(new Answer(email, Status.NO_SUCH_DOMAIN, null));
                continue;
            }
            int code = table.get(asked.key().address());
            out.add(code == 0 ? new Answer(email, Status.NO_SUCH_ADDRESS, null) : IMAGE_ANSWERS[code].as(email));
        }
        return out;
    }

    /** A valid address as asked: its key (tenant and normalised address) and its domain. */
    private record Asked(TenantAddress key, String domain) {}

    /** The answers of valid addresses from the store, one read transaction for them all. */
    private Map<TenantAddress, Known> read(String tenantKey, Collection<Asked> addresses) {
        OptionalLong domainChanges = domainsKept.mark();
        return store.read(r -> {
            // One read of the namespace for the batch and one per distinct domain not kept, not three per address.
            Map<String, Boolean> tenantDomains = new HashMap<>();
            List<String> inTenant = new ArrayList<>();
            for (Asked asked : addresses) {
                if (tenantDomains.computeIfAbsent(asked.domain(), domain -> domainsKept.get(
                        domainChanges, new TenantDomain(tenantKey, domain), k -> Namespace.isTenantDomain(r, tenantKey, domain)))) {
                    inTenant.add(asked.key().address());
                }
            }
            Map<String, AddressEntry> owned = new HashMap<>();
            for (AddressEntry entry : r.addresses().findAll(inTenant)) owned.put(entry.address(), entry);
            OwnerStatuses owners = OwnerStatuses.of(r, tenantKey, owned.values());
            Map<TenantAddress, Known> out = new HashMap<>();
            for (Asked asked : addresses) {
                AddressEntry entry = owned.get(asked.key().address());
                out.put(asked.key(), !tenantDomains.get(asked.domain()) ? new Known(Status.NO_SUCH_DOMAIN, null)
                        : entry == null ? new Known(Status.NO_SUCH_ADDRESS, null)
                        : new Known(owners.of(entry), entry.kind()));
            }
            return out;
        });
    }

    /** The state of the owners of many addresses, read with one query per kind of mailbox. */
    private record OwnerStatuses(Map<String, MailboxStatus> users, Map<String, MailboxStatus> publics) {
        static OwnerStatuses of(Records r, String tenantKey, Collection<AddressEntry> entries) {
            List<String> users = new ArrayList<>();
            List<String> publics = new ArrayList<>();
            for (AddressEntry e : entries) {
                switch (e.kind()) {
                    case USER_MAILBOX, USER_ALIAS -> users.add(e.ownerId());
                    case PUBLIC_MAILBOX, PUBLIC_ALIAS -> publics.add(e.ownerId());
                    case MAIL_GROUP, GROUP_ALIAS -> { }
                }
            }
            return new OwnerStatuses(users.isEmpty() ? Map.of() : r.mailboxes().statuses(tenantKey, users),
                    publics.isEmpty() ? Map.of() : r.publicMailboxes().statuses(tenantKey, publics));
        }

        Status of(AddressEntry entry) {
            MailboxStatus status = switch (entry.kind()) {
                case USER_MAILBOX, USER_ALIAS -> users.getOrDefault(entry.ownerId(), MailboxStatus.ACTIVE);
                case PUBLIC_MAILBOX, PUBLIC_ALIAS -> publics.getOrDefault(entry.ownerId(), MailboxStatus.ACTIVE);
                case MAIL_GROUP, GROUP_ALIAS -> MailboxStatus.ACTIVE;
            };
            return statusOf(status);
        }
    }

    /** Whether the entity that owns the address is in service, disabled or in the recycle bin. */
    static Status ownerStatus(Records r, String tenantKey, AddressEntry entry) {
        MailboxStatus status = switch (entry.kind()) {
            case USER_MAILBOX, USER_ALIAS -> r.mailboxes().find(tenantKey, entry.ownerId())
                    .map(UserMailbox::status).orElse(MailboxStatus.ACTIVE);
            case PUBLIC_MAILBOX, PUBLIC_ALIAS -> r.publicMailboxes().find(tenantKey, entry.ownerId())
                    .map(PublicMailbox::status).orElse(MailboxStatus.ACTIVE);
            case MAIL_GROUP, GROUP_ALIAS -> MailboxStatus.ACTIVE;
        };
        return statusOf(status);
    }

    private static Status statusOf(MailboxStatus status) {
        return switch (status) {
            case ACTIVE -> Status.ENABLED;
            case PAUSED -> Status.DISABLED;
            case RECYCLED -> Status.RECYCLED;
        };
    }
}
