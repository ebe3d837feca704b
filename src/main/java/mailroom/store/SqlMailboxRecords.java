package mailroom.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import mailroom.directory.Records.MailboxRecords;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.store.UsageCounters.Counted;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/** User mailboxes (users' mailboxes and mailboxes of their own alike), and how many each tenant has in service. */
final class SqlMailboxRecords implements MailboxRecords {
    private static final String SELECT = "SELECT b.*, d.name AS domain_name FROM user_mailbox b JOIN domain d ON d.id = b.domain_id";
    private static final List<String> COLUMNS = List.of("id", "tenant_key", "email", "domain_id", "person_id", "first_name",
            "last_name", "status", "quota_allowed", "quota_used", "created_at", "updated_at");

    /**
     * PostgreSQL: a search is planned for its own pattern, every time. After a few runs pgjdbc prepares a
     * statement on the server, whose cached generic plan cannot see the pattern: it would read every
     * entry of the trigram indexes for a pattern without a trigram ('%a%') instead of scanning, and use
     * them for one that matches most rows. Planning costs well under a millisecond.
     */
    private static final StatementCustomizer PLANNED_FOR_ITS_PATTERN = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement stmt, StatementContext ctx) throws SQLException {
            stmt.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
    };

    private final Handle h;
    private final UsageCounters counters;
    private final Dialect dialect;

    SqlMailboxRecords(Handle h, Dialect dialect, WriteTransaction tx) {
        this.h = h;
        this.counters = new UsageCounters(h, tx);
        this.dialect = dialect;
    }

    /** Whether a mailbox in this state counts against its tenant's limit: every one but the recycle bin's. */
    private static boolean inService(MailboxStatus status) {
        return status != MailboxStatus.RECYCLED;
    }

    private static <S extends SqlStatement<S>> S bind(S s, UserMailbox b) {
        return s.bind("id", b.id()).bind("t", b.tenantKey()).bind("email", b.email()).bind("domain", b.domainId())
                .bind("person", b.userRef()).bind("first", b.firstName()).bind("last", b.lastName())
                .bind("status", b.status().name()).bind("qa", b.quotaAllowed()).bind("qu", b.quotaUsed())
                .bind("created", b.createdAt()).bind("updated", b.updatedAt());
    }

    @Override
    public void insert(UserMailbox b) {
        insertAll(List.of(b));
    }

    @Override
    public void insertAll(List<UserMailbox> mailboxes) {
        if (mailboxes.isEmpty()) return;
        PlainBatch.insert(h, "user_mailbox", COLUMNS, mailboxes, b -> new Object[]{b.id(), b.tenantKey(), b.email(),
                b.domainId(), b.userRef(), b.firstName(), b.lastName(), b.status().name(), b.quotaAllowed(), b.quotaUsed(), b.createdAt(), b.updatedAt()});
        Map<String, Long> inServiceByTenant = mailboxes.stream().filter(b -> inService(b.status()))
                .collect(Collectors.groupingBy(UserMailbox::tenantKey, Collectors.counting()));
        counters.addAll(Counted.TENANT_USER_MAILBOXES, inServiceByTenant);
    }

    @Override
    public void update(UserMailbox b) {
        Optional<MailboxStatus> before = h.createQuery("""
                SELECT status FROM user_mailbox WHERE id = :id AND tenant_key = :t AND created_at = :created""")
                .bind("id", b.id()).bind("t", b.tenantKey()).bind("created", b.createdAt())
                .mapTo(String.class).findOne().map(MailboxStatus::valueOf);
        if (before.isEmpty()) return;
        bind(h.createUpdate("""
                UPDATE user_mailbox SET email = :email, domain_id = :domain, person_id = :person, first_name = :first,
                    last_name = :last, status = :status, quota_allowed = :qa, quota_used = :qu, updated_at = :updated
                WHERE id = :id AND tenant_key = :t AND created_at = :created"""), b).execute();
        boolean wasInService = inService(before.get());
        if (wasInService != inService(b.status())) {
            counters.add(Counted.TENANT_USER_MAILBOXES, b.tenantKey(), wasInService ? -1 : 1);
        }
    }

    @Override
    public void delete(String mailboxId) {
        h.createQuery("DELETE FROM user_mailbox WHERE id = :id RETURNING tenant_key, status").bind("id", mailboxId)
                .map((rs, c) -> Map.entry(rs.getString("tenant_key"), MailboxStatus.valueOf(rs.getString("status"))))
                .findOne().filter(deleted -> inService(deleted.getValue()))
                .ifPresent(deleted -> counters.add(Counted.TENANT_USER_MAILBOXES, deleted.getKey(), -1));
    }

    @Override
    public Map<String, MailboxStatus> statuses(String tenantKey, Collection<String> ids) {
        return SqlRecords.statuses(h, "user_mailbox", tenantKey, ids);
    }

    @Override
    public Optional<UserMailbox> find(String tenantKey, String idOrEmail) {
        return h.createQuery(SELECT + " WHERE b.tenant_key = :t AND (b.id = :k OR b.email = :k)")
                .bind("t", tenantKey).bind("k", idOrEmail).map((rs, c) -> mailbox(rs)).findOne();
    }

    @Override
    public Map<String, UserMailbox> byUsers(Collection<String> userIds) {
        Map<String, UserMailbox> out = new java.util.HashMap<>();
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(userIds));
        for (int from = 0; from < all.size(); from += 500) {
            h.createQuery(SELECT + " WHERE b.person_id IN (<p>)").bindList("p", all.subList(from, Math.min(all.size(), from + 500)))
                    .map((rs, c) -> mailbox(rs)).forEach(m -> out.put(m.userRef(), m));
        }
        return out;
    }

    @Override
    public Optional<UserMailbox> byUser(String userId) {
        return h.createQuery(SELECT + " WHERE b.person_id = :p").bind("p", userId).map((rs, c) -> mailbox(rs)).findOne();
    }

    /**
     * The listing's rows: {@code columns} of {@code b}, the mailbox, and with {@code withDomain} of {@code d}, its domain.
     * {@code search} matches where {@code LOWER(field) LIKE '%search%'} does (search lower-cased in Java, its
     * % _ ! literal) on the address or either name: that LIKE decides every answer, as before the indexes.
     * A search an index can serve first narrows the rows to its candidates, a superset of the LIKE's matches
     * because each index folds case at least as much as the LIKE does (ADR 0008, 0039); shorter ones are a scan.
     */
    private String rows(String columns, boolean withDomain, String domainId, String search) {
        String where = " WHERE b.tenant_key = :t AND b.status <> 'RECYCLED'" + (domainId == null ? "" : " AND b.domain_id = :domain")
                + (search == null ? "" : " AND (LOWER(b.email) LIKE :q ESCAPE '!' OR LOWER(b.first_name) LIKE :q ESCAPE '!'"
                + " OR LOWER(b.last_name) LIKE :q ESCAPE '!')");
        String domain = withDomain ? " JOIN domain d ON d.id = b.domain_id" : "";
        String index = index(search);
        if (index != null) {
            // CROSS JOIN keeps the FTS table the outer loop: its candidates come in rowid (= seq) order, so a
            // page (ordered by s.rowid, which SQLite knows it needs no sort for) stops after its last row
            // instead of collecting and sorting every candidate first.
            return "SELECT " + columns + " FROM " + index + " s CROSS JOIN user_mailbox b ON b.seq = s.rowid" + domain
                    + where + " AND s." + index + " MATCH :match";
        }
        // PostgreSQL's pg_trgm indexes serve the LIKE itself (and recheck it), so its query is the scan's.
        return "SELECT " + columns + " FROM user_mailbox b" + domain + where;
    }

    /** SQLite only: the FTS table whose candidates the query joins, or null for none. */
    private String index(String search) {
        if (search == null || dialect != Dialect.SQLITE) return null;
        if (SearchGrams.serves(search)) return "user_mailbox_search_grams";
        return indexed(search) ? "user_mailbox_search" : null;
    }

    /** The FTS5 query of the index {@link #index} chose. */
    private static String match(String index, String search) {
        return index.equals("user_mailbox_search") ? phrase(search) : SearchGrams.query(search);
    }

    /**
     * Whether the trigram index can serve the search: three code points or more once lower-cased (fewer
     * make no trigram), and no U+0000, which SQLite's LIKE reads as the end of the pattern.
     */
    static boolean indexed(String search) {
        String lower = search.toLowerCase(Locale.ROOT);
        return lower.codePointCount(0, lower.length()) >= 3 && lower.indexOf('\0') < 0;
    }

    @Override
    public long countInService(String tenantKey) {
        return counters.value(Counted.TENANT_USER_MAILBOXES, tenantKey);
    }

    /** A LIKE pattern matching the text anywhere; '!' escapes (JDBI's lexer mis-reads a quoted backslash). */
    private static String like(String search) {
        return "%" + search.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** An FTS5 query of one phrase: the lower-cased search, every character literal (a quote is doubled). */
    private static String phrase(String search) {
        return "\"" + search.toLowerCase(Locale.ROOT).replace("\"", "\"\"") + "\"";
    }

    private <S extends SqlStatement<S>> S bindFilter(S s, String tenantKey, String domainId, String search) {
        if (search != null && dialect == Dialect.POSTGRESQL) s.addCustomizer(PLANNED_FOR_ITS_PATTERN);
        s.bind("t", tenantKey);
        if (domainId != null) s.bind("domain", domainId);
        if (search != null) {
            s.bind("q", like(search));
            String index = index(search);
            if (index != null) s.bind("match", match(index, search));
        }
        return s;
    }

    @Override
    public List<UserMailbox> list(String tenantKey, String domainId, String search, int offset, int limit) {
        return bindFilter(h.createQuery(rows("b.*, d.name AS domain_name", true, domainId, search)
                        + (index(search) != null ? " ORDER BY s.rowid" : " ORDER BY b.seq") + " LIMIT :limit OFFSET :offset"),
                tenantKey, domainId, search)
                .bind("limit", limit).bind("offset", offset).map((rs, c) -> mailbox(rs)).list();
    }

    @Override
    public long count(String tenantKey, String domainId, String search) {
        return bindFilter(h.createQuery(rows("COUNT(*)", false, domainId, search)), tenantKey, domainId, search)
                .mapTo(Long.class).one();
    }

    private static UserMailbox mailbox(ResultSet rs) throws SQLException {
        return new UserMailbox(rs.getString("id"), rs.getString("tenant_key"), rs.getString("email"),
                rs.getString("domain_id"), rs.getString("domain_name"), rs.getString("person_id"),
                rs.getString("first_name"), rs.getString("last_name"), MailboxStatus.valueOf(rs.getString("status")),
                rs.getLong("quota_allowed"), rs.getLong("quota_used"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
