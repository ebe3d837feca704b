package mailroom.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.Records;
import mailroom.directory.mailbox.MailboxStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** One transaction's records, all sharing the transaction's JDBI handle (and, in a write, what it remembers). */
final class SqlRecords implements Records {
    private final Handle handle;
    private final Dialect dialect;
    /** The write transaction; null in a read. */
    private final WriteTransaction tx;
    private final SqlJournalRecords journal;

    private SqlRecords(Handle handle, Dialect dialect, WriteTransaction tx) {
        this.handle = handle;
        this.dialect = dialect;
        this.tx = tx;
        this.journal = new SqlJournalRecords(handle, dialect, tx);
    }

    /** Runs a write's work alone on the handle's transaction, then writes the changes it journalled. */
    static <T> T write(Handle handle, Dialect dialect, Function<Records, T> work, Consumer<Set<ObjectKind>> journalled) {
        WriteTransaction tx = new WriteTransaction(handle, dialect, null);
        T result = write(tx, work, journalled);
        tx.numberJournal();
        return result;
    }

    /**
     * Runs one work of {@code tx}, telling {@code journalled} which kinds of objects it changed; its journal
     * entries wait in {@code tx} for {@link WriteTransaction#numberJournal}. A work that throws leaves none.
     */
    static <T> T write(WriteTransaction tx, Function<Records, T> work, Consumer<Set<ObjectKind>> journalled) {
        SqlRecords records = new SqlRecords(tx.handle(), tx.dialect(), tx);
        T result = work.apply(records);
        journalled.accept(records.journal.kinds());
        tx.journalled(records.journal.appended());
        return result;
    }

    /** Runs a read's work; it cannot journal anything. */
    static <T> T read(Handle handle, Dialect dialect, Function<Records, T> work) {
        return work.apply(new SqlRecords(handle, dialect, null));
    }

    /**
     * Runs {@code replace}, which rewrites every data table (a sandbox reset): the journal entries of the works
     * before it in the transaction are written first, so that they go with the rest of the old data, and nothing
     * the transaction remembered is trusted afterwards.
     */
    void replaceEverything(Consumer<Handle> replace) {
        tx.numberJournal();
        try {
            replace.accept(handle);
        } finally {
            tx.forgetRows();
        }
    }

    /** SQLite: the FTS5 tables of the mailbox search (trigrams, ADR 0008; five-character grams, ADR 0039). */
    static final List<String> SEARCH_INDEXES = List.of("user_mailbox_search", "user_mailbox_search_grams");

    /** SQLite: how many segments the mailbox search index with the most has now. */
    int searchIndexSegments() {
        int most = 0;
        for (String index : SEARCH_INDEXES) {
            most = Math.max(most, handle.createQuery("SELECT COUNT(DISTINCT segid) FROM " + index + "_idx")
                    .mapTo(Integer.class).one());
        }
        return most;
    }

    /**
     * SQLite: merges about {@code pages} pages of each mailbox search index's segments, of every level as if one (a
     * negative count to FTS5's 'merge'); answers whether there was anything to merge (FTS5 then changes more than
     * its one structure record).
     */
    boolean mergeSearchIndex(int pages) {
        boolean merged = false;
        for (String index : SEARCH_INDEXES) {
            long before = handle.createQuery("SELECT total_changes()").mapTo(Long.class).one();
            handle.createUpdate("INSERT INTO " + index + " (" + index + ", rank) VALUES ('merge', :pages)")
                    .bind("pages", -pages).execute();
            merged |= handle.createQuery("SELECT total_changes()").mapTo(Long.class).one() - before >= 2;
        }
        return merged;
    }

    /** The transaction's handle, for tests of this package that need SQL the records do not offer. */
    Handle handle() {
        return handle;
    }

    @Override
    public TenantRecords tenants() {
        return new SqlTenantRecords(handle, dialect, tx);
    }

    @Override
    public AddressRecords addresses() {
        return new SqlAddressRecords(handle, tx);
    }

    @Override
    public MailGroupRecords mailGroups() {
        return new SqlMailGroupRecords(handle, tx);
    }

    @Override
    public MailboxRecords mailboxes() {
        return new SqlMailboxRecords(handle, dialect, tx);
    }

    @Override
    public PublicMailboxRecords publicMailboxes() {
        return new SqlPublicMailboxRecords(handle, tx);
    }

    @Override
    public ServiceAccountRecords serviceAccounts() {
        return new SqlServiceAccountRecords(handle);
    }

    @Override
    public OperatorTokenRecords operatorTokens() {
        return new SqlOperatorTokenRecords(handle);
    }

    @Override
    public WebhookRecords webhooks() {
        return new SqlWebhookRecords(handle);
    }

    @Override
    public DeliveryRecords delivery() {
        return new SqlDeliveryRecords(handle);
    }

    @Override
    public JournalRecords journal() {
        return journal;
    }

    @Override
    public void lockTenant(String tenantKey) {
        // SQLite already runs one writer at a time (BEGIN IMMEDIATE); PostgreSQL needs a row lock.
        // FOR NO KEY UPDATE, not FOR UPDATE: every insert that references the tenant (address, mail_group,
        // ...) takes FOR KEY SHARE on this row for its foreign key check. FOR UPDATE conflicts with that, so
        // a transaction that claimed an address without the tenant lock (a group rename) and a locker
        // waiting on that very address deadlocked. FOR NO KEY UPDATE still serialises the lockers.
        if (dialect != Dialect.POSTGRESQL) return;
        if (tx == null) throw new IllegalStateException("a read transaction cannot lock a tenant");
        if (tx.batchLocks() != null) {
            // A group commit locked its tenants first, in order; a lock taken now, after another work of the batch may
            // hold the journal's counter, could close a cycle with another node's batch.
            if (tx.batchLocks().contains(tenantKey)) return;
            throw new IllegalStateException("tenant " + tenantKey + " was not locked with the batch of its write");
        }
        // A tenant that does not exist yet has no row to lock (its creator locks it again once inserted).
        handle.createQuery("SELECT * FROM tenant WHERE tenant_key = :t FOR NO KEY UPDATE")
                .bind("t", tenantKey).map((rs, ctx) -> SqlTenantRecords.tenant(rs)).findOne().ifPresent(tx::lockedRow);
    }

    @Override
    public void noteBulkGrowth() {
        // Without this, a batch's look-ups by (tenant_key, user_id) are planned for the rows ANALYZE last saw: one row
        // of the tenant, so the index is read for the tenant alone and every row of it filtered (measured: 2 s a
        // query at 50,000 users inside one dry run). ANALYZE is transactional and counts this transaction's own rows,
        // so a rehearsal's statistics roll back with it. SQLite plans these look-ups by their unique indexes anyway.
        if (dialect == Dialect.POSTGRESQL) handle.execute("ANALYZE person, user_mailbox, address");
    }

    /**
     * Runs a keyset-paged query: {@code query} must select a {@code seq} column, filter on
     * {@code seq > :after} and order by seq; it is bound with :after and :limit (one extra row).
     */
    static <T> Page<T> page(Handle handle, String sql, Function<Query, Query> binder, PageRequest page,
                            org.jdbi.v3.core.mapper.RowMapper<T> mapper) {
        List<java.util.Map.Entry<Long, T>> rows = binder.apply(handle.createQuery(sql))
                .bind("after", cursor(page.afterCursor())).bind("limit", page.size() + 1)
                .map((rs, ctx) -> java.util.Map.entry(rs.getLong("seq"), mapper.map(rs, ctx))).list();
        List<T> items = new ArrayList<>();
        for (int i = 0; i < Math.min(rows.size(), page.size()); i++) items.add(rows.get(i).getValue());
        String next = rows.size() > page.size() ? Long.toString(rows.get(page.size() - 1).getKey()) : null;
        return new Page<>(items, next);
    }

    /** The statement of {@link #statuses}: ids, statuses and tenants of the rows whose ids are listed. */
    static String statusesSql(String table) {
        return "SELECT id, status, tenant_key FROM " + table + " WHERE id IN (<ids>)";
    }

    /** The status column of the tenant's rows of {@code table} (a mailbox table) with the given ids, by id. */
    static Map<String, MailboxStatus> statuses(Handle handle, String table, String tenantKey, Collection<String> ids) {
        Map<String, MailboxStatus> out = new HashMap<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 500) {
            // The tenant is checked on the rows, not in the WHERE: given "tenant_key = ? AND id IN (three or more)",
            // SQLite's planner (without statistics) walks the tenant's index instead of the ids' unique one — every
            // mailbox of the tenant, 200 ms a query at a million. Ids are unique across tenants anyway.
            handle.createQuery(statusesSql(table))
                    .bindList("ids", all.subList(from, Math.min(all.size(), from + 500)))
                    .map((rs, c) -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)})
                    .forEach(row -> {
                        if (tenantKey.equals(row[2])) out.put(row[0], MailboxStatus.valueOf(row[1]));
                    });
        }
        return out;
    }

    static long cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) return 0;
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
