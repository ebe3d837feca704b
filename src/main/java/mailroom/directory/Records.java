package mailroom.directory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import mailroom.directory.access.App;
import mailroom.directory.access.OperatorToken;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.OwnedAddress;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxMember;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.directory.webhook.Webhook;
import mailroom.directory.webhook.WebhookDelivery;

/**
 * The store's view of one transaction, split by aggregate so each part stays small. The counts that limits
 * check ({@code count}, {@code countMembers}, {@code countAliases}, {@code countInService},
 * {@code countMailboxesOfUser}) are kept by the store alongside the rows they count, in the same transaction:
 * each is one keyed read, however many rows there are.
 */
public interface Records {
    TenantRecords tenants();

    AddressRecords addresses();

    MailGroupRecords mailGroups();

    MailboxRecords mailboxes();

    PublicMailboxRecords publicMailboxes();

    ServiceAccountRecords serviceAccounts();

    JournalRecords journal();

    OperatorTokenRecords operatorTokens();

    DeliveryRecords delivery();

    WebhookRecords webhooks();

    /**
     * Serialises this transaction against every other one that locks the same tenant, so checks over
     * many rows (limits, member cycles) stay true until commit, even across nodes.
     */
    void lockTenant(String tenantKey);

    /**
     * Tells the store that this transaction has just grown the tenant's users, mailboxes and addresses by a bulk
     * write, so that it can catch up on their sizes before the next batch's look-ups (PostgreSQL's planner
     * otherwise keeps planning them for the tables as they were); a no-op where nothing needs it.
     */
    void noteBulkGrowth();

    /**
     * The change journal of this transaction. Appended changes are written with the transaction's other
     * rows, numbered gap-free in commit order; a rolled-back transaction (or savepoint) leaves none.
     */
    interface JournalRecords {
        void append(Change change);

        /** Committed entries with a sequence number above {@code afterSeq}, oldest first. */
        List<Change.Entry> after(long afterSeq, int limit);

        /** As {@link #after(long, int)}, only the tenant's entries (the server's own under the key ""). */
        List<Change.Entry> after(long afterSeq, int limit, String tenantKey);

        long lastSeq();

        /** How many times the data was replaced whole ({@link DirectoryStore#replace}), which journals nothing. */
        long replacements();

        /** The entries the query finds, newest first, at most {@code limit} (the query's own limit aside). */
        List<Change.Entry> audit(Journal.AuditQuery query, int limit);

        /** Whether any entry is kept under the tenant's key. */
        boolean hasEntries(String tenantKey);

        /**
         * Deletes the oldest entries (lowest sequence numbers first) made before {@code beforeMillis}, at most
         * {@code batch}, stopping at the first one that is not that old; answers how many it deleted.
         */
        int prune(long beforeMillis, int batch);
    }

    /** One member row as delivery reads it: what it names, and the mailbox in service it names directly. */
    record MemberTarget(MemberType type, String refId, String email, String mailbox) {}

    /**
     * An address's row with what delivery needs of its owner, read in the same query: for a user or public
     * mailbox (its primary address or an alias) the mailbox's primary address and whether it is in service.
     */
    record ResolvedAddress(AddressEntry entry, String mailbox, boolean inService) {}

    /** The reads a mail system's look-ups need, each one query however large the group or tenant. */
    interface DeliveryRecords {
        /**
         * The owner of the first of {@code addresses} that has one (one or two: an address and the same without its
         * extension), in one read; for a mailbox or its alias also that mailbox's primary address and state.
         */
        Optional<ResolvedAddress> resolveFirst(List<String> addresses);

        /**
         * The catch-all alias of the domain named, resolved the same way. Apart from {@link #resolveFirst}: folded
         * into it, every owned address's look-up paid for the catch-all's probe on PostgreSQL.
         */
        Optional<ResolvedAddress> catchAll(String domainName);

        /**
         * A group's member rows in the order they were added; {@code mailbox} is the primary address of the
         * user's mailbox (USER) or the public mailbox (PUBLIC_MAILBOX) when it is in service, else null.
         */
        List<MemberTarget> memberTargets(MemberList list, String groupId);

        /** Primary addresses of the in-service mailboxes of users in the department or below it, by user_id. */
        List<String> departmentMailboxes(String tenantKey, String departmentId);

        /** Primary addresses of every in-service user mailbox of the tenant, oldest first. */
        List<String> tenantMailboxes(String tenantKey);

        /** Primary addresses of the in-service mailboxes of a public mailbox's members, in the order they joined. */
        List<String> publicMailboxMemberMailboxes(String publicMailboxId);

        /** The user's departments and every department above them. */
        java.util.Set<String> departmentsAndAncestors(String tenantKey, String userId);
    }

    /** A user to insert with the departments it is in. */
    record NewUser(User user, List<String> departmentIds) {}

    interface TenantRecords {
        void upsertTenant(Tenant tenant);

        Optional<Tenant> tenant(String key);

        Optional<Tenant> tenantByAccountId(String accountId);

        List<Tenant> allTenants();

        /**
         * How many of each kind the tenant holds: users, departments, user_mailboxes (in service),
         * public_mailboxes, mail_groups, addresses, apps, service_accounts (not revoked).
         */
        Map<String, Long> usage(String tenantKey);

        /** Removes the tenant and every row of its data (the change journal stays), in this transaction. */
        void deleteTenant(String tenantKey);

        /** Inserts the domain when its name is new; answers the stored domain either way. */
        Domain upsertDomain(Domain domain);

        Optional<Domain> domainByName(String name);

        Optional<Domain> domainById(String id);

        List<Domain> domainsOf(String tenantKey);

        /** Removes the domain; the caller has checked that no address uses it. */
        void deleteDomain(String domainId);

        void upsertDepartment(Department department);

        Optional<Department> department(String tenantKey, DepartmentRef ref);

        /** Every department of the tenant, in department_id order. */
        List<Department> departments(String tenantKey);

        /** Removes the department; the caller has checked that no user or department is in it. */
        void deleteDepartment(String tenantKey, String departmentId);

        /** How many users are directly in the department (not counting departments below it). */
        long countUsersInDepartment(String tenantKey, String departmentId);

        /** Inserts or updates by (tenant, user_id), keeping the internal id; answers the stored user. */
        User upsertUser(User user, List<String> departmentIds);

        Optional<User> user(String tenantKey, UserRef ref);

        Optional<User> userById(String id);

        /** The tenant's users whose id of the kind is one of {@code values} (one query per 500), in no order. */
        List<User> usersByIds(String tenantKey, UserIdKind kind, Collection<String> values);

        /** The tenant's users after {@code afterUserId} (null: from the first), by user_id, at most {@code limit}. */
        List<User> users(String tenantKey, String afterUserId, int limit);

        /** Inserts new users (with their internal ids set) and their departments in batches. */
        void insertUsers(List<NewUser> users);

        /** The department ids of each of these users (by internal id), in id order; users in none are left out. */
        Map<String, List<String>> departmentsOfAll(Collection<String> userIds);

        /** Which of these department ids the tenant has. */
        java.util.Set<String> existingDepartments(String tenantKey, Collection<String> departmentIds);

        /** The department ids of a user (by internal id), in id order. */
        List<String> departmentsOf(String userId);

        /** Users in a department or any department below it. */
        List<User> usersInDepartmentTree(String tenantKey, String departmentId);

        /**
         * A page of the tenant's users in user_id order (by code point), after {@code afterUserId} (null: from the
         * first), at most {@code limit}. {@code search} (null: everyone) keeps those whose user_id, name or mailbox
         * address contains it, ignoring case; {@code departmentId} (null: any) those in that department or below it.
         */
        List<User> listUsers(String tenantKey, String afterUserId, String search, String departmentId, int limit);


        /**
         * Removes the user row and its department links. Whatever else names the user (a mailbox, group members,
         * managers, public mailbox members) the caller has removed or detached first, in this transaction.
         */
        void deleteUser(String id);

        void upsertApp(App app);

        /** Inserts the app unless its id is taken (by any tenant); answers whether this call inserted it. */
        boolean insertApp(App app);

        Optional<App> app(String appId);

        /** The tenant's apps, in app_id order. */
        List<App> appsOf(String tenantKey);

        void deleteApp(String appId);

        /**
         * Records a secret hash an app no longer takes (rotated away, or the app deleted): a seed naming that
         * secret must not bring it back, and the id of a deleted app is not given to a new one.
         */
        void retireAppSecret(String appId, String tenantKey, String secretHash, long at);

        /** The hashes retired for the app id, oldest first; empty when the id never had one retired. */
        List<String> retiredAppSecrets(String appId);

        /** The server-wide signing secret, created on first use; shared by every node on the database. */
        byte[] signingSecret(byte[] candidate);

        /** Replaces the server-wide signing secret: every token signed with the old one stops verifying. */
        void replaceSigningSecret(byte[] secret);

        /** The tenant's per-endpoint rate-limit overrides: a route ("METHOD /path") to a rate like "5/s". */
        java.util.Map<String, String> rateLimits(String tenantKey);

        /** Makes the tenant's overrides exactly the given map. */
        void replaceRateLimits(String tenantKey, java.util.Map<String, String> limits);
    }

    interface AddressRecords {
        Optional<AddressEntry> find(String address);

        List<AddressEntry> findAll(Collection<String> addresses);

        /** The tenant's rows of the namespace after {@code afterAddress} (null: from the first), by address, at most {@code limit}. */
        List<AddressEntry> ofTenant(String tenantKey, String afterAddress, int limit);

        /** Inserts unless the address is already owned; answers whether this call inserted it. */
        boolean tryInsert(AddressEntry entry);

        /** Inserts all in one batch; the caller has checked the namespace inside the same transaction. */
        void insertAll(List<AddressEntry> entries);

        List<AddressEntry> aliasesOf(String ownerId);

        /** The aliases of many owners in one query (a listing page), ordered like {@link #aliasesOf}. */
        List<AddressEntry> aliasesOfAll(Collection<String> ownerIds);

        /** How many aliases (of any alias kind) the owner has. */
        int countAliases(String ownerId);

        /** Every row of the namespace, all tenants and kinds (catch-alls and recycled owners included). */
        long count();

        /**
         * Every row of the namespace with its owner's state, in one query, in no order: the state of the tenant's
         * mailbox or public mailbox the address names (ACTIVE for a group's, or where no such row is).
         */
        void forEachOwned(Consumer<OwnedAddress> each);

        Optional<AddressEntry> catchAllOf(String domainId);

        /** How many addresses of the domain there are, by kind; a catch-all alias is left out (see {@link #catchAllOf}). */
        Map<AddressKind, Long> countByKind(String domainId);

        boolean delete(String address);

        void deleteOwnedBy(String ownerId);
    }

    /** A member row removed because what it named went away, with the group it was in. */
    record RemovedMember(MemberList list, MailGroup group, Member member) {}

    interface MailGroupRecords {
        void insert(MailGroup group, long now);

        void update(MailGroup group, long now);

        void delete(String groupId);

        Optional<MailGroup> find(String tenantKey, String idOrEmail);

        Page<MailGroup> list(String tenantKey, String managedByUserId, PageRequest page);

        /** How many mail groups the tenant has. */
        int count(String tenantKey);

        /**
         * Whether the tenant has fewer than {@code limit} mail groups: room for one more. Inside an adding write
         * ({@link DirectoryStore#addToTenant}) the store holds the write to that answer until it commits.
         */
        boolean hasRoom(String tenantKey, int limit);

        /** Adds a member row unless one with the same identity exists; answers the stored member id. */
        String insertMember(MemberList list, String groupId, String memberId, MemberType type, String refId,
                            String email, String identity, long now);

        Optional<Member> member(MemberList list, String tenantKey, String groupId, String memberId);

        /** The id of the group's member row with this identity (what it names), if the list has one. */
        Optional<String> memberIdOf(MemberList list, String groupId, String identity);

        Page<Member> members(MemberList list, String tenantKey, String groupId, PageRequest page);

        /** How many rows the group's list has. */
        int countMembers(MemberList list, String groupId);

        boolean deleteMember(MemberList list, String groupId, String memberId);

        /** Removes every member row, in any group's list, that refers to the given entity; answers them. */
        List<RemovedMember> deleteMembersReferring(MemberType type, String refId);

        /**
         * As {@link #deleteMembersReferring(MemberType, String)} for ids unique only within a tenant (a
         * department id): only rows of the tenant's groups go.
         */
        List<RemovedMember> deleteMembersReferring(String tenantKey, MemberType type, String refId);

        /**
         * Removes every address-typed member row (OTHER_MEMBER), in any group's list, naming one of these
         * addresses; answers them.
         */
        List<RemovedMember> deleteMembersAddressedTo(Collection<String> addresses);

        /** Every (group, member group) edge of a tenant, for cycle checks. */
        List<String[]> groupEdges(String tenantKey);

        boolean insertManager(String groupId, String userId, long now);

        boolean deleteManager(String groupId, String userId);

        Page<User> managers(String groupId, PageRequest page);
    }

    interface MailboxRecords {
        void insert(UserMailbox mailbox);

        /** The status of each of the tenant's user mailboxes named by id; ids it does not hold are left out. */
        Map<String, MailboxStatus> statuses(String tenantKey, Collection<String> ids);

        void insertAll(List<UserMailbox> mailboxes);

        void update(UserMailbox mailbox);

        void delete(String mailboxId);

        Optional<UserMailbox> find(String tenantKey, String idOrEmail);

        Optional<UserMailbox> byUser(String userId);

        /** The mailbox of each of these users (by internal id) that has one, in any state, by user. */
        Map<String, UserMailbox> byUsers(Collection<String> userIds);

        /**
         * Listing by account: mailboxes in service (not in the recycle bin), filtered by domain id and free
         * text, ordered by creation.
         */
        List<UserMailbox> list(String tenantKey, String domainId, String search, int offset, int limit);

        /** Counts what {@link #list} lists, by counting its rows. */
        long count(String tenantKey, String domainId, String search);

        /** How many mailboxes of the tenant are in service (not in the recycle bin): what its limit counts. */
        long countInService(String tenantKey);
    }

    /** A user's member row in a public mailbox. */
    record Membership(String publicMailboxId, String memberId) {}

    interface PublicMailboxRecords {
        void insert(PublicMailbox mailbox, long now);

        /** The status of each of the tenant's public mailboxes named by id; ids it does not hold are left out. */
        Map<String, MailboxStatus> statuses(String tenantKey, Collection<String> ids);

        void update(PublicMailbox mailbox, long now);

        void delete(String id);

        Optional<PublicMailbox> find(String tenantKey, String idOrEmail);

        Page<PublicMailbox> list(String tenantKey, PageRequest page);

        /** How many public mailboxes the tenant has, those in the recycle bin included (their addresses are held). */
        int count(String tenantKey);

        /** Adds the user unless already a member; answers the stored member id. */
        String insertMember(String mailboxId, String memberId, String userId, long now);

        Optional<PublicMailboxMember> member(String mailboxId, String memberId);

        Page<PublicMailboxMember> members(String mailboxId, PageRequest page);

        boolean deleteMember(String mailboxId, String memberId);

        void deleteAllMembers(String mailboxId);

        /** How many mailboxes in service (not in the recycle bin) the user is bound to. */
        int countMailboxesOfUser(String userId);

        /** Where the user is a member: each public mailbox (in the recycle bin or not) and member id, oldest first. */
        List<Membership> membershipsOf(String userId);
    }

    interface ServiceAccountRecords {
        void upsert(ServiceAccount account);

        Optional<ServiceAccount> byTokenHash(String tokenHash);

        Optional<ServiceAccount> byId(String tenantKey, String id);

        Optional<ServiceAccount> byName(String tenantKey, String name);

        List<ServiceAccount> list(String tenantKey, boolean includeRevoked);

        void touch(String id, long lastUsedAt);

        /** Records that a token was rotated away: it must never be brought back, by a seed or otherwise. */
        void retireToken(String tokenHash, String serviceAccountId, long at);

        boolean isRetired(String tokenHash);
    }

    /** Operator tokens, server-wide; tokens only as hashes. */
    interface OperatorTokenRecords {
        void insert(OperatorToken token);

        Optional<OperatorToken> byHash(String tokenHash);

        Optional<OperatorToken> byId(String id);

        /** Every token, revoked ones included, oldest first. */
        List<OperatorToken> list();

        void revoke(String id, long at);
    }

    /**
     * Webhooks and their deliveries. The dispatcher's writes ({@code advance}, {@code renew}) are guarded by the
     * lease: they change nothing and answer false once another node holds the webhook.
     */
    interface WebhookRecords {
        void insert(Webhook webhook);

        /**
         * Writes what the operator door changes: url, events, description and secrets, and, when
         * {@code enabledChanged}, enabled and why not (else a disabling by the dispatcher meanwhile stands).
         */
        void update(Webhook webhook, boolean enabledChanged);

        Optional<Webhook> byId(String id);

        /** The tenant's webhooks in id order. */
        List<Webhook> ofTenant(String tenantKey);

        /** Deletes the webhook and its deliveries. */
        void delete(String id);

        /** The ids of enabled webhooks (of every tenant) whose lease is free or expired at {@code now}. */
        List<String> claimable(long now);

        /** Takes or extends the lease for {@code owner} until {@code until}, if free, expired at {@code now}, or its own. */
        boolean claim(String id, String owner, long now, long until);

        /** Gives the lease up, if {@code owner} holds it. */
        void release(String id, String owner);

        /** Moves the cursor forward to {@code cursorSeq}, if {@code owner} holds the lease. */
        boolean advance(String id, String owner, long cursorSeq);

        /** Marks the webhook failing since {@code since}, unless it already is. */
        void markFailing(String id, long since);

        /** Clears the failing mark after a success. */
        void markHealthy(String id);

        /** Disables the webhook, saying why. */
        void disable(String id, String reason, long at);

        /** Inserts the deliveries in one batch: a round of a webhook's deliveries is one statement, not one per row. */
        void insertDeliveries(List<WebhookDelivery> deliveries);

        /** Writes the delivery as the operator door changed it. */
        void updateDelivery(WebhookDelivery delivery);

        /** Writes an attempt's outcome, unless the row is no longer as it was attempted (a redelivery came between). */
        boolean updateDelivery(WebhookDelivery delivery, WebhookDelivery attempted);

        /** The pending delivery of the lowest sequence number: the head of the webhook's queue. */
        Optional<WebhookDelivery> pendingHead(String webhookId);

        Optional<WebhookDelivery> delivery(String webhookId, String deliveryId);

        /** Deliveries of the webhook with a sequence number below {@code beforeSeq} (all when null), newest first. */
        List<WebhookDelivery> deliveries(String webhookId, Long beforeSeq, int limit);

        /** Pending deliveries of every webhook: the retry queue. */
        long countPending();

        long countDisabled();

        /** Deletes up to {@code batch} deliveries created before {@code before}; answers how many went. */
        int pruneDeliveries(long before, int batch);
    }
}
