package mailroom.directory.bulk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.Namespace;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;

/**
 * Bulk import of a tenant's directory (ADR 0016): rows applied in file order, {@value #BATCH_ROWS} to a
 * transaction, each row either applied whole or reported with the directory's refusal; a dry run does the same
 * work in one transaction that is rolled back ({@link DirectoryStore#rehearse}). A row naming an object that
 * exists brings it up to date, so importing the same file again changes (and journals) nothing.
 */
public final class Imports {
    /** Most rows one import takes. */
    public static final int MAX_ROWS = 100_000;
    /** Rows per transaction: one durable commit each, and other writers get their turn between batches. */
    public static final int BATCH_ROWS = 1000;

    private final DirectoryStore store;
    private final Clock clock;

    public Imports(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What applying one row did. */
    enum Applied { CREATED, UPDATED, UNCHANGED }

    /**
     * The work of one row inside its batch's transaction. It checks everything before its first write, so a
     * refusal (a DirectoryException) leaves the transaction as it was and the batch goes on with the next row.
     */
    @FunctionalInterface
    interface RowWork<R> {
        Applied apply(Records r, Caller caller, Tenant tenant, R row, long now);
    }

    /** What the rows of one or more batches did. */
    static final class Tally {
        int created;
        int updated;
        final List<RowFailure> failed = new ArrayList<>();

        void add(Tally other) {
            created += other.created;
            updated += other.updated;
            failed.addAll(other.failed);
        }

        void count(Applied applied) {
            if (applied == Applied.CREATED) created++;
            if (applied == Applied.UPDATED) updated++;
        }
    }

    /**
     * Users by user_id, with the user mailbox an email gives them, by the rules of {@link mailroom.directory.tenant.Users#put}
     * but a batch at a time: a few queries per batch rather than a dozen per row, inserts in batches.
     */
    public ImportResult users(Caller caller, List<UserRow> rows, boolean dryRun) {
        int[] batches = {0};
        return runBatches(caller, rows.size(), UserBatch.batches(rows, BATCH_ROWS), dryRun, (r, tenant, batch, now, tally) -> {
            UserBatch.apply(r, caller, tenant, batch, now, tally);
            // After the 1st, 2nd, 4th, 8th... batch: the store's idea of the tables' sizes is never off by more than 2x.
            if (Integer.bitCount(++batches[0]) == 1) r.noteBulkGrowth();
        });
    }

    /** Mail groups by address: created with their name, description and send permission, or brought up to date. */
    public ImportResult mailGroups(Caller caller, List<MailGroupRow> rows, boolean dryRun) {
        return run(caller, rows, dryRun, MailGroupRow::row, Imports::mailGroup);
    }

    /** Members of mail groups' member lists; a member already in the list is left as it is. */
    public ImportResult members(Caller caller, List<MemberRow> rows, boolean dryRun) {
        return run(caller, rows, dryRun, MemberRow::row, Imports::member);
    }

    /** Aliases of user mailboxes, public mailboxes and mail groups; an alias the owner already has is left as it is. */
    public ImportResult aliases(Caller caller, List<AliasRow> rows, boolean dryRun) {
        return run(caller, rows, dryRun, AliasRow::row, Imports::alias);
    }

    /**
     * Applies the rows in batches, each batch in a transaction of its own (a dry run: all of them in one
     * rehearsal, so that a later row sees what an earlier one would have done). A batch's figures count once
     * it has committed; an unexpected failure ends the import there, the batches before it staying applied.
     */
    private <R> ImportResult run(Caller caller, List<R> rows, boolean dryRun, ToIntFunction<R> number, RowWork<R> work) {
        List<List<R>> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += BATCH_ROWS) batches.add(rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS)));
        return runBatches(caller, rows.size(), batches, dryRun, (r, tenant, batch, now, tally) -> {
            for (R row : batch) {
                try {
                    tally.count(work.apply(r, caller, tenant, row, now));
                } catch (DirectoryException refused) {
                    tally.failed.add(new RowFailure(number.applyAsInt(row), refused));
                }
            }
        });
    }

    /** The work of one batch of rows inside its transaction; it records what each row did in the tally. */
    @FunctionalInterface
    interface BatchWork<R> {
        void apply(Records r, Tenant tenant, List<R> batch, long now, Tally tally);
    }

    <R> ImportResult runBatches(Caller caller, int rows, List<List<R>> batches, boolean dryRun, BatchWork<R> work) {
        if (rows > MAX_ROWS) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "an import takes at most " + MAX_ROWS + " rows");
        }
        String key = caller.tenantKey();
        Tally total = new Tally();
        if (dryRun) {
            long now = clock.millis();
            total = store.rehearse(key, r -> {
                Tenant tenant = Tenants.require(r, key);
                Tally all = new Tally();
                for (List<R> batch : batches) work.apply(r, tenant, batch, now, all);
                return all;
            });
        } else {
            if (batches.isEmpty()) store.read(r -> Tenants.require(r, key));
            for (List<R> batch : batches) {
                long now = clock.millis();
                total.add(store.writeTenant(key, r -> {
                    Tally tally = new Tally();
                    work.apply(r, Tenants.require(r, key), batch, now, tally);
                    return tally;
                }));
            }
        }
        total.failed.sort(java.util.Comparator.comparingInt(RowFailure::row));
        return new ImportResult(dryRun, rows, total.created, total.updated, total.failed);
    }

    // ---- the kinds ----

    private static Applied mailGroup(Records r, Caller caller, Tenant tenant, MailGroupRow row, long now) {
        Address email = Address.parse(row.email(), "email");
        MailGroups.Fields fields = new MailGroups.Fields(email.toString(), row.name(), row.description(), row.whoCanSendMail());
        MailGroup current = r.mailGroups().find(tenant.key(), email.toString()).orElse(null);
        if (current == null) {
            MailGroups.create(r, caller, tenant, fields, now);
            return Applied.CREATED;
        }
        return MailGroups.changeFields(r, caller, current, fields, now) ? Applied.UPDATED : Applied.UNCHANGED;
    }

    private static Applied member(Records r, Caller caller, Tenant tenant, MemberRow row, long now) {
        if (row.group() == null || row.group().isBlank()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "group", " is required");
        }
        String groupAddress = Address.parse(row.group(), "group").toString();
        MailGroup group = r.mailGroups().find(tenant.key(), groupAddress).orElseThrow(() ->
                new DirectoryException(Reason.MAIL_GROUP_NOT_FOUND, "mail group " + groupAddress + " not found", "group"));
        String member = row.member() == null ? "" : row.member().trim();
        if (row.type() == null) throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "type", " is required");
        if (row.type() == MemberType.COMPANY && !member.isEmpty()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "member", " must be empty for a COMPANY member");
        }
        if (row.type() != MemberType.COMPANY && member.isEmpty()) {
            throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "member", " is required for a " + row.type() + " member");
        }
        MemberSpec spec = switch (row.type()) {
            case USER -> new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, member), null, null);
            case DEPARTMENT -> new MemberSpec(MemberType.DEPARTMENT, null,
                    new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, member), null);
            case COMPANY -> new MemberSpec(MemberType.COMPANY, null, null, null);
            default -> new MemberSpec(row.type(), null, null, member);
        };
        return MailGroups.addMember(r, caller, tenant, group, spec, now) ? Applied.CREATED : Applied.UNCHANGED;
    }

    private static Applied alias(Records r, Caller caller, Tenant tenant, AliasRow row, long now) {
        String key = tenant.key();
        Address ownerAddress = Address.parse(row.address(), "address");
        Address alias = Address.parse(row.alias(), "alias");
        AddressEntry owner = r.addresses().find(ownerAddress.toString()).filter(e -> e.tenantKey().equals(key))
                .orElseThrow(() -> new DirectoryException(Reason.MAILBOX_NOT_FOUND, ownerAddress
                        + " is not the address of a mailbox or mail group of this tenant", "address"));
        if (owner.kind().isAlias()) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, ownerAddress + " is itself an alias: name its owner's"
                    + " primary address", "address");
        }
        AddressKind aliasKind = switch (owner.kind()) {
            case USER_MAILBOX -> AddressKind.USER_ALIAS;
            case PUBLIC_MAILBOX -> AddressKind.PUBLIC_ALIAS;
            default -> AddressKind.GROUP_ALIAS;
        };
        if (owner.kind() != AddressKind.MAIL_GROUP && recycled(r, key, owner)) {
            throw new DirectoryException(owner.kind() == AddressKind.USER_MAILBOX ? Reason.USER_MAILBOX_NOT_FOUND
                    : Reason.PUBLIC_MAILBOX_NOT_FOUND, ownerAddress + " is in the recycle bin", "address");
        }
        AddressEntry existing = r.addresses().find(alias.toString()).orElse(null);
        if (existing != null && existing.kind() == aliasKind && existing.ownerId().equals(owner.ownerId())) {
            return Applied.UNCHANGED;
        }
        String noun = switch (owner.kind()) {
            case USER_MAILBOX -> "a user mailbox";
            case PUBLIC_MAILBOX -> "a public mailbox";
            default -> "a mail group";
        };
        Namespace.addAlias(r, caller, tenant, new Namespace.Owner(owner.ownerId(), owner.address()), alias, aliasKind,
                false, noun, now);
        return Applied.CREATED;
    }

    /** Whether the mailbox owning this address is in the recycle bin (its aliases then take no more). */
    static boolean recycled(Records r, String tenantKey, AddressEntry owner) {
        MailboxStatus status = owner.kind() == AddressKind.USER_MAILBOX
                ? r.mailboxes().statuses(tenantKey, List.of(owner.ownerId())).get(owner.ownerId())
                : r.publicMailboxes().statuses(tenantKey, List.of(owner.ownerId())).get(owner.ownerId());
        return status == null || status == MailboxStatus.RECYCLED;
    }
}
