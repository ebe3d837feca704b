package mailroom.directory.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.KindCache;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.Records.MemberTarget;
import mailroom.directory.Records.ResolvedAddress;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MemberList;

/**
 * What a mail system asks of the directory, message by message: which domains and mailboxes exist, what
 * an address resolves or expands to, who may send as an address, and who may send to a mail group.
 * Look-ups name tenants by their addresses, so they take no caller; every answer is read from the store
 * in one transaction and so reflects every write acknowledged before it, on every node. An answer is kept while
 * the store vouches that nothing changed since: on the embedded SQLite file until a directory object changes;
 * on a database other nodes write to while its change mark, read again for every look-up (ADR 0034), has not
 * moved. A mail system asks the same questions message after message, and writes are rare beside them.
 */
public final class Delivery {
    /** The longest answer a mail system's look-up may get ("OK " and the addresses, comma-separated). */
    public static final int MAX_ANSWER_CHARACTERS = 100_000;
    /** Answers kept at most, and about how many characters of addresses they may hold together (tens of MB). */
    private static final int ANSWERS_KEPT = 100_000;
    private static final long ADDRESS_CHARACTERS_KEPT = 20_000_000;
    /** Every kind an answer may depend on: all of the directory's objects, not its apps, tokens or webhooks. */
    private static final ObjectKind[] DIRECTORY_KINDS = {ObjectKind.TENANT, ObjectKind.DOMAIN, ObjectKind.DEPARTMENT,
        ObjectKind.USER, ObjectKind.USER_MAILBOX, ObjectKind.USER_MAILBOX_ALIAS, ObjectKind.PUBLIC_MAILBOX,
        ObjectKind.PUBLIC_MAILBOX_ALIAS, ObjectKind.PUBLIC_MAILBOX_MEMBER, ObjectKind.MAIL_GROUP, ObjectKind.MAIL_GROUP_ALIAS,
        ObjectKind.MAIL_GROUP_MEMBER, ObjectKind.MAIL_GROUP_PERMISSION_MEMBER, ObjectKind.MAIL_GROUP_MANAGER};

    /** One look-up as asked: its map, its normalised address, the policy's sender identities, the rules. */
    private record Question(String map, String address, String login, String envelopeSender, DeliveryRules rules) {}

    private final DirectoryStore store;
    private final KindCache<Question, Object> answers;

    public Delivery(DirectoryStore store) {
        this.store = store;
        KindCache<Question, Object> kept = new KindCache<>(store, ANSWERS_KEPT, ADDRESS_CHARACTERS_KEPT, Delivery::weight,
                DIRECTORY_KINDS);
        this.answers = kept.keptAcrossNodes();
    }

    /** Whether some tenant owns the domain. */
    public boolean domainExists(String domain) {
        String key = domain == null ? "" : domain.trim();
        if (key.isEmpty() || !Address.isAscii(key)) return false;
        String name = key.toLowerCase(Locale.ROOT);
        return kept(new Question("domain", name, null, null, null),
                () -> store.read(r -> r.tenants().domainByName(name).isPresent()));
    }

    /** The primary address of the deliverable mailbox (user or public, in service) the address names. */
    public Optional<String> mailbox(String address, DeliveryRules rules) {
        Optional<Key> key = Key.of(address);
        if (key.isEmpty()) return Optional.empty();
        return kept(new Question("mailbox", key.get().address(), null, null, rules), () -> store.read(r -> resolve(r, key.get(), rules, false)
                .filter(a -> switch (a.entry().kind()) {
                    case USER_MAILBOX, PUBLIC_MAILBOX -> true;
                    default -> false;
                })
                .flatMap(Delivery::deliverableOwner)));
    }

    /** Where mail to an alias, a group, or a catch-all's domain goes; NOT_FOUND for a mailbox's own address. */
    public AliasAnswer alias(String address, DeliveryRules rules) {
        Optional<Key> key = Key.of(address);
        if (key.isEmpty()) return AliasAnswer.NOT_FOUND;
        return kept(new Question("alias", key.get().address(), null, null, rules), () -> store.read(r -> {
            Optional<ResolvedAddress> resolved = resolve(r, key.get(), rules, true);
            if (resolved.isEmpty()) return AliasAnswer.NOT_FOUND;
            AddressEntry e = resolved.get().entry();
            return switch (e.kind()) {
                case USER_MAILBOX, PUBLIC_MAILBOX -> AliasAnswer.NOT_FOUND;
                case USER_ALIAS, PUBLIC_ALIAS -> deliverableOwner(resolved.get()).map(a -> AliasAnswer.targets(List.of(a)))
                        .orElse(AliasAnswer.NOT_FOUND);
                case MAIL_GROUP, GROUP_ALIAS -> {
                    Expander expander = new Expander(r, e.tenantKey(), rules);
                    expander.group(e.ownerId(), e.tenantKey());
                    yield expander.tooLarge ? AliasAnswer.TOO_LARGE : AliasAnswer.targets(List.copyOf(expander.out));
                }
            };
        }));
    }

    /** The logins (primary addresses of user mailboxes in service) allowed to send as the address. */
    public List<String> senders(String address, DeliveryRules rules) {
        Optional<Key> key = Key.of(address);
        if (key.isEmpty()) return List.of();
        return kept(new Question("senders", key.get().address(), null, null, rules),
                () -> store.read(r -> resolve(r, key.get(), rules, false).map(a -> sendersOf(r, a)).orElse(List.of())));
    }

    /** Whether the sender (SASL login and envelope sender, either may be null) may send to the recipient. */
    public SendDecision maySend(String recipient, String login, String envelopeSender, DeliveryRules rules) {
        Optional<Key> key = Key.of(recipient);
        if (key.isEmpty()) return SendDecision.NOT_A_GROUP;
        return kept(new Question("policy", key.get().address(), login, envelopeSender, rules), () -> store.read(r -> {
            Optional<AddressEntry> entry = resolve(r, key.get(), rules, false).map(ResolvedAddress::entry)
                    .filter(e -> e.kind() == AddressKind.MAIL_GROUP || e.kind() == AddressKind.GROUP_ALIAS);
            if (entry.isEmpty()) return SendDecision.NOT_A_GROUP;
            String tenantKey = entry.get().tenantKey();
            MailGroup group = r.mailGroups().find(tenantKey, entry.get().ownerId()).orElse(null);
            if (group == null) return SendDecision.NOT_A_GROUP;
            boolean allowed = allows(r, group, Sender.of(r, tenantKey, login, envelopeSender, rules));
            if (!allowed) return decision(SendDecision.Verdict.NOT_ALLOWED, group, rules);
            Expander expander = new Expander(r, tenantKey, rules);
            expander.group(group.id(), tenantKey);
            // A group of another tenant reached through an external member keeps its own rule.
            for (AddressEntry foreign : expander.foreignGroups) {
                MailGroup other = r.mailGroups().find(foreign.tenantKey(), foreign.ownerId()).orElse(null);
                if (other != null && !allows(r, other, Sender.of(r, foreign.tenantKey(), login, envelopeSender, rules))) {
                    return decision(SendDecision.Verdict.NOT_ALLOWED, group, rules);
                }
            }
            if (expander.tooLarge) return decision(SendDecision.Verdict.TOO_LARGE, group, rules);
            if (expander.out.isEmpty()) return decision(SendDecision.Verdict.EMPTY, group, rules);
            return decision(SendDecision.Verdict.ALLOWED, group, rules);
        }));
    }

    /** The answer kept for the question while no directory object changed, else {@code read}'s (one transaction). */
    @SuppressWarnings("unchecked")
    private <T> T kept(Question question, Supplier<T> read) {
        return (T) answers.get(question, q -> read.get());
    }

    /** What an answer costs to keep: the characters of the addresses it holds. */
    private static long weight(Object answer) {
        List<?> addresses = answer instanceof AliasAnswer a ? a.addresses() : answer instanceof List<?> l ? l : List.of();
        long characters = 16;
        for (Object address : addresses) characters += ((String) address).length() + 16;
        return characters;
    }

    /** A group's expansion as the mail system would see it, for the tenant's own tools. */
    public Expansion expansion(Caller caller, String groupRef, DeliveryRules rules) {
        return store.read(r -> {
            MailGroup group = Address.lookupKey(groupRef).flatMap(k -> r.mailGroups().find(caller.tenantKey(), k))
                    .orElseThrow(() -> new DirectoryException(Reason.MAIL_GROUP_NOT_FOUND, "mail group not found"));
            Expander expander = new Expander(r, caller.tenantKey(), rules);
            expander.group(group.id(), caller.tenantKey());
            List<String> addresses = new ArrayList<>(expander.out);
            return new Expansion(group.email(), addresses.subList(0, Math.min(addresses.size(), rules.expansionLimit())),
                    expander.tooLarge);
        });
    }

    /** Whether the group's who-can-send rule lets this sender send to it. */
    private static boolean allows(Records r, MailGroup group, Sender sender) {
        return switch (group.whoCanSendMail()) {
            case ANYONE -> true;
            case ALL_INTERNAL_USERS -> sender.internal();
            case ALL_GROUP_MEMBERS -> sender.internal()
                    && new Membership(r, group.tenantKey(), sender).in(MemberList.MEMBERS, group.id());
            case CUSTOM_MEMBERS -> sender.internal()
                    && new Membership(r, group.tenantKey(), sender).in(MemberList.PERMISSION_MEMBERS, group.id());
        };
    }

    private static SendDecision decision(SendDecision.Verdict verdict, MailGroup group, DeliveryRules rules) {
        return new SendDecision(verdict, group.email(), group.whoCanSendMail().name(), rules.expansionLimit());
    }

    // ---- address resolution ----

    /** A look-up key: lower-cased, ASCII, one '@' with something on both sides (anything else names nothing). */
    private record Key(String local, String domain) {
        static Optional<Key> of(String raw) {
            String key = raw == null ? "" : raw.trim();
            if (!Address.isAscii(key)) return Optional.empty();
            key = key.toLowerCase(Locale.ROOT);
            int at = key.lastIndexOf('@');
            if (at <= 0 || at == key.length() - 1 || key.indexOf('@') != at) return Optional.empty();
            return Optional.of(new Key(key.substring(0, at), key.substring(at + 1)));
        }

        String address() {
            return local + "@" + domain;
        }
    }

    /**
     * The owner of an address: the exact address; else, when the local part holds the recipient delimiter,
     * the address without its extension; else (only where asked) the domain's catch-all, which so never
     * shadows an address that has an owner.
     */
    private static Optional<ResolvedAddress> resolve(Records r, Key key, DeliveryRules rules, boolean catchAll) {
        String base = null;
        String delimiters = rules.recipientDelimiter();
        if (delimiters != null) {
            // Like Postfix's recipient_delimiter, every character is a delimiter; the first one found cuts.
            int cut = -1;
            for (int i = 0; i < key.local().length() && cut < 0; i++) {
                if (delimiters.indexOf(key.local().charAt(i)) >= 0) cut = i;
            }
            if (cut > 0) base = key.local().substring(0, cut) + "@" + key.domain();
        }
        // The address itself, else without its extension (one read for both), else the domain's catch-all.
        Optional<ResolvedAddress> owned = r.delivery().resolveFirst(base == null ? List.of(key.address()) : List.of(key.address(), base));
        return owned.isPresent() || !catchAll ? owned : r.delivery().catchAll(key.domain());
    }

    /** The primary address of the mailbox an address delivers to, when that mailbox is in service. */
    private static Optional<String> deliverableOwner(ResolvedAddress a) {
        return switch (a.entry().kind()) {
            case USER_MAILBOX, USER_ALIAS, PUBLIC_MAILBOX, PUBLIC_ALIAS ->
                    a.inService() ? Optional.ofNullable(a.mailbox()) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<UserMailbox> activeUserMailbox(Records r, AddressEntry e) {
        return r.mailboxes().find(e.tenantKey(), e.ownerId()).filter(m -> m.status() == MailboxStatus.ACTIVE);
    }

    private static List<String> sendersOf(Records r, ResolvedAddress a) {
        if (!a.inService()) return List.of();
        return switch (a.entry().kind()) {
            case USER_MAILBOX, USER_ALIAS -> List.of(a.mailbox());
            case PUBLIC_MAILBOX, PUBLIC_ALIAS -> r.delivery().publicMailboxMemberMailboxes(a.entry().ownerId());
            default -> List.of();
        };
    }

    // ---- group expansion ----

    /**
     * Expands groups depth first into de-duplicated final addresses, stopping once past the limit or once
     * the answer would not fit a look-up reply. An "external" address that is in fact a Mailroom address
     * (another tenant's) is resolved like any other, so the mail system never expands a group behind the
     * directory's back; the groups of other tenants reached that way are remembered, for their own rules.
     */
    private static final class Expander {
        private final Records r;
        private final String tenantKey;
        private final DeliveryRules rules;
        private final LinkedHashSet<String> out = new LinkedHashSet<>();
        private final Set<String> groupsSeen = new HashSet<>();
        private final Map<String, List<String>> companies = new HashMap<>();
        private final List<AddressEntry> foreignGroups = new ArrayList<>();
        private int characters;
        private boolean tooLarge;

        Expander(Records r, String tenantKey, DeliveryRules rules) {
            this.r = r;
            this.tenantKey = tenantKey;
            this.rules = rules;
        }

        /** A group already expanded (or being expanded, in a cycle) contributes nothing again. */
        void group(String groupId, String groupTenant) {
            if (tooLarge || !groupsSeen.add(groupId)) return;
            for (MemberTarget m : r.delivery().memberTargets(MemberList.MEMBERS, groupId)) {
                if (tooLarge) return;
                switch (m.type()) {
                    case USER, PUBLIC_MAILBOX -> add(m.mailbox());
                    case DEPARTMENT -> r.delivery().departmentMailboxes(groupTenant, m.refId()).forEach(this::add);
                    case COMPANY -> companies.computeIfAbsent(groupTenant, t -> r.delivery().tenantMailboxes(t)).forEach(this::add);
                    case MAIL_GROUP -> group(m.refId(), groupTenant);
                    case EXTERNAL_USER -> resolved(m.email(), true);
                    case OTHER_MEMBER -> resolved(m.email(), false);
                }
            }
        }

        /**
         * An address resolved: an alias to its mailbox, a group to its expansion, a mailbox to itself while in
         * service. One the directory does not know is delivered as given when it was named as external.
         */
        private void resolved(String address, boolean external) {
            Optional<Key> key = Key.of(address);
            if (key.isEmpty()) return;
            Optional<ResolvedAddress> resolved = resolve(r, key.get(), rules, true);
            if (resolved.isEmpty()) {
                if (external) add(key.get().address());
                return;
            }
            AddressEntry entry = resolved.get().entry();
            switch (entry.kind()) {
                case MAIL_GROUP, GROUP_ALIAS -> {
                    if (!entry.tenantKey().equals(tenantKey)) foreignGroups.add(entry);
                    group(entry.ownerId(), entry.tenantKey());
                }
                default -> deliverableOwner(resolved.get()).ifPresent(this::add);
            }
        }

        private void add(String address) {
            if (address == null || !out.add(address)) return;
            characters += address.length() + 1;
            if (out.size() > rules.expansionLimit() || characters - 1 + 3 > MAX_ANSWER_CHARACTERS) tooLarge = true;
        }
    }

    // ---- who is sending ----

    /**
     * The sending side of a policy request. Internal when the login is the primary address of an in-service
     * user mailbox of the tenant and the envelope sender is an address that login may send as; the
     * identities are then that mailbox (and its user, if it has one) and, when the envelope sender is a
     * public mailbox's address, that public mailbox.
     */
    private record Sender(boolean internal, String mailboxId, String userId, String publicMailboxId) {
        static final Sender EXTERNAL = new Sender(false, null, null, null);

        static Sender of(Records r, String tenantKey, String login, String envelopeSender, DeliveryRules rules) {
            Optional<Key> loginKey = Key.of(login);
            Optional<Key> senderKey = Key.of(envelopeSender);
            if (loginKey.isEmpty() || senderKey.isEmpty()) return EXTERNAL;
            Optional<UserMailbox> user = r.addresses().find(loginKey.get().address())
                    .filter(e -> e.kind() == AddressKind.USER_MAILBOX && e.tenantKey().equals(tenantKey))
                    .flatMap(e -> activeUserMailbox(r, e));
            if (user.isEmpty()) return EXTERNAL;
            Optional<ResolvedAddress> from = resolve(r, senderKey.get(), rules, false)
                    .filter(a -> a.entry().tenantKey().equals(tenantKey));
            if (from.isEmpty() || !sendersOf(r, from.get()).contains(user.get().email())) return EXTERNAL;
            String publicMailbox = switch (from.get().entry().kind()) {
                case PUBLIC_MAILBOX, PUBLIC_ALIAS -> from.get().entry().ownerId();
                default -> null;
            };
            return new Sender(true, user.get().id(), user.get().userRef(), publicMailbox);
        }
    }

    /** Whether one of the sender's identities is in a group's member or permission list, nested groups included. */
    private static final class Membership {
        private final Records r;
        private final String tenantKey;
        private final Sender sender;
        private final Set<String> groupsSeen = new HashSet<>();
        private Set<String> departments;

        Membership(Records r, String tenantKey, Sender sender) {
            this.r = r;
            this.tenantKey = tenantKey;
            this.sender = sender;
        }

        boolean in(MemberList list, String groupId) {
            if (!groupsSeen.add(list + ":" + groupId)) return false;
            for (MemberTarget m : r.delivery().memberTargets(list, groupId)) {
                boolean match = switch (m.type()) {
                    case USER -> sender.userId() != null && sender.userId().equals(m.refId());
                    case DEPARTMENT -> sender.userId() != null && departments().contains(m.refId());
                    case COMPANY -> true;
                    case MAIL_GROUP -> in(MemberList.MEMBERS, m.refId());
                    case PUBLIC_MAILBOX -> sender.publicMailboxId() != null && sender.publicMailboxId().equals(m.refId());
                    case OTHER_MEMBER -> Key.of(m.email()).flatMap(k -> r.addresses().find(k.address()))
                            .map(e -> e.ownerId().equals(sender.mailboxId()) || e.ownerId().equals(sender.publicMailboxId()))
                            .orElse(false);
                    case EXTERNAL_USER -> false;
                };
                if (match) return true;
            }
            return false;
        }

        private Set<String> departments() {
            if (departments == null) departments = r.delivery().departmentsAndAncestors(tenantKey, sender.userId());
            return departments;
        }
    }
}
