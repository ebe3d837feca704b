package mailroom.store;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.Mailboxes.NewMailbox;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.tenant.Accounts.Slice;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mailbox list's search through the trigram and gram indexes answers exactly what the LIKE scan it replaced
 * answered (ADR 0008): the same mailboxes, in the same order, on every page, with the same total, on
 * random mailboxes and random searches full of characters that case folding, LIKE or FTS5 treat
 * specially; and it still does after names change, mailboxes are recycled, released or rewritten, and
 * after the migration indexed rows that existed before it. {@code -Dsearch.seed=N} replays one run.
 */
class MailboxSearchTest {
    private static final long SEED = Long.getLong("search.seed", System.nanoTime());
    /** Pieces that names and searches are made of: ASCII, case pairs that only Unicode folds, LIKE's and FTS5's specials. */
    private static final String[] NAME_PIECES = {"al", "Al", "AL", "ex", "an", "na", "mo", "ka", "ro", "de", "lia", "É", "é",
        "Ém", "ß", "ẞ", "İ", "ı", "i", "K", "\u212A", "k", "%", "_", "!", "!!", "\"", "'", "\\", " ", "  ", "O'", "Zoë",
        "Zoe\u0308", "😀", "ǅ", "ﬃ", "Σ", "σ", "ς", "ÀB", "àb", "x", "-", ".", "*", "^", "NEAR", "AND", "(", ")", ":", "{", "}"};
    private static final String[] LOCAL_PIECES = {"al", "ex", "an", "na", "mo", "ka", "ro", "de", "lia", "x", "k", "_", "-",
        "+", "0", "7", "42"};
    private static final String TRICKY = "aAkK\u212Aß%_!\"'\\ .-@éÉ😀\u0308İı*";

    @TempDir
    Path dataDir;
    private String postgresUrl;
    private DirectoryStore store;
    private Directory directory;
    /** Every mailbox of a tenant as the current comparison round started (the Java LIKE reads it). */
    private final Map<String, List<UserMailbox>> snapshot = new HashMap<>();
    private final Random random = new Random(SEED);
    private final List<String> samples = new ArrayList<>();

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private void open(Backend backend) {
        postgresUrl = backend == Backend.POSTGRESQL ? TestServers.newPostgresDatabase() : null;
        store = reopen(backend);
        directory = TestServers.seededDirectory(store, TestClock.ticking(Instant.parse("2025-01-01T00:00:00Z")));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void searchAnswersWhatTheScanAnsweredBeforeAndAfterEveryKindOfWrite(Backend backend) {
        open(backend);
        createMailboxes("acme", "acme.test", 1800);
        createMailboxes("acme", "acme-mail.test", 700);
        createMailboxes("globex", "globex.test", 400);
        compareSearches(backend, 250);

        Mailboxes mailboxes = directory.mailboxes();
        List<UserMailbox> acme = all("acme");
        for (int i = 0; i < 200; i++) {
            UserMailbox m = acme.get(random.nextInt(acme.size()));
            try {
                switch (i % 4) {
                    case 0 -> mailboxes.update(as("acme"), m.id(), name(), random.nextBoolean() ? null : name());
                    case 1 -> mailboxes.setActive(as("acme"), m.id(), random.nextBoolean());
                    case 2 -> mailboxes.delete(as("acme"), m.id());
                    default -> {
                        mailboxes.delete(as("acme"), m.id());
                        mailboxes.release(as("acme"), m.id(), null);
                    }
                }
            } catch (DirectoryException e) {
                // already recycled or released by an earlier round: nothing to change
            }
        }
        // Writers that bypass the directory's rules still pass the triggers: a new address, then raw SQL.
        for (int i = 0; i < 30; i++) {
            UserMailbox m = acme.get(random.nextInt(acme.size()));
            String email = "renamed" + i + local() + "@" + m.domainName();
            store.write(r -> {
                r.mailboxes().find("acme", m.id()).ifPresent(found -> r.mailboxes().update(new UserMailbox(found.id(),
                        found.tenantKey(), email, found.domainId(), found.domainName(), found.userRef(), found.firstName(),
                        found.lastName(), found.status(), found.quotaAllowed(), found.quotaUsed(), found.createdAt(), 1L)));
                return null;
            });
            samples.add(email);
        }
        store.write(r -> handle(r).createUpdate("UPDATE user_mailbox SET last_name = first_name || 'Raw', first_name = 'Sql'"
                + " WHERE seq % 17 = 3").execute());
        samples.add("Sql");
        samples.add("Raw");
        compareSearches(backend, 250);
        if (backend == Backend.SQLITE) assertFtsIndexMatchesTheTable();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void rowsThatExistedBeforeTheMigrationAreIndexedByIt(Backend backend) {
        open(backend);
        createMailboxes("acme", "acme.test", 300);
        // Back to the schema before V8 (and on SQLite V17), then rows that no trigger sees, then the migrations once more.
        store.write(r -> {
            Handle h = handle(r);
            if (backend == Backend.SQLITE) {
                h.execute("DROP TRIGGER user_mailbox_search_insert");
                h.execute("DROP TRIGGER user_mailbox_search_update");
                h.execute("DROP TRIGGER user_mailbox_search_delete");
                h.execute("DROP TABLE user_mailbox_search");
                for (String trigger : List.of("insert", "delete", "unindex", "reindex")) {
                    h.execute("DROP TRIGGER user_mailbox_search_grams_" + trigger);
                }
                h.execute("DROP TABLE user_mailbox_search_grams");
                h.execute("DROP VIEW user_mailbox_grams");
                h.execute("DELETE FROM flyway_schema_history WHERE version = '17'");
            } else {
                h.execute("DROP INDEX user_mailbox_email_trgm, user_mailbox_first_name_trgm, user_mailbox_last_name_trgm");
                h.execute("DROP EXTENSION pg_trgm");
            }
            h.execute("DELETE FROM flyway_schema_history WHERE version = '8'");
            return null;
        });
        createMailboxes("acme", "acme-mail.test", 300);
        store.close();
        // Later migrations are applied already: V8 (and V17) run alone, out of order, as they would have before them.
        Dialect dialect = backend == Backend.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL;
        String url = backend == Backend.SQLITE ? "jdbc:sqlite:" + dataDir.resolve("mailroom.db") : postgresUrl;
        Flyway.configure().dataSource(url, null, null).locations(dialect.migrationsLocation())
                .placeholders(dialect.migrationPlaceholders()).outOfOrder(true).load().migrate();
        store = reopen(backend);
        directory = new Directory(store, TestClock.ticking(Instant.parse("2025-02-01T00:00:00Z")));

        int v8 = store.read(r -> handle(r).createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '8'")
                .mapTo(Integer.class).one());
        assertThat(v8).as("V8 ran again").isEqualTo(1);
        if (backend == Backend.SQLITE) {
            int v17 = store.read(r -> handle(r).createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '17'")
                    .mapTo(Integer.class).one());
            assertThat(v17).as("V17 ran again").isEqualTo(1);
        }
        compareSearches(backend, 150);
        if (backend == Backend.SQLITE) assertFtsIndexMatchesTheTable();
    }

    @Test
    void sqliteServesSearchesOfFiveCharactersFromTheGramsThreeOrFourFromTrigramsAndShorterOnesFromTheScan() {
        open(Backend.SQLITE);
        createMailboxes("acme", "acme.test", 50);
        directory.mailboxes().bulkCreate(as("acme"), "acme.test", List.of(new NewMailbox("findme", "Zed", "Quux")));
        String findme = store.read(r -> r.mailboxes().find("acme", "findme@acme.test").orElseThrow().id());
        assertThat(ids("acme", "ndm")).contains(findme);
        assertThat(ids("acme", "FINDME@ACME.TEST")).contains(findme);

        // An index that knows no rows: what it serves now finds nothing, what the others serve still does.
        store.write(r -> handle(r).execute("INSERT INTO user_mailbox_search_grams (user_mailbox_search_grams) VALUES ('delete-all')"));
        assertThat(ids("acme", "ndme@")).as("five characters come from the grams").isEmpty();
        assertThat(ids("acme", "FINDME@ACME.TEST")).as("so do longer ones").isEmpty();
        assertThat(ids("acme", "ndme")).as("four characters come from the trigrams").contains(findme);

        store.write(r -> handle(r).execute("INSERT INTO user_mailbox_search (user_mailbox_search) VALUES ('delete-all')"));
        assertThat(ids("acme", "ndm")).as("three characters come from the trigrams").isEmpty();
        assertThat(ids("acme", "ndme")).as("so do four").isEmpty();
        assertThat(ids("acme", "nd")).as("two characters come from the scan").contains(findme);
        assertThat(ids("acme", "e")).as("one character comes from the scan").contains(findme);
    }

    @Test
    void postgresCanServeTheListsLikeOfEachFieldFromATrigramIndex() {
        open(Backend.POSTGRESQL);
        createMailboxes("acme", "acme.test", 200);
        // Reads on PostgreSQL run outside a transaction (ADR 0024): SET LOCAL needs one of its own.
        String plan = store.read(r -> handle(r).inTransaction(h -> {
            h.execute("ANALYZE user_mailbox");
            h.execute("SET LOCAL enable_seqscan = off");
            return String.join("\n", h.createQuery("EXPLAIN SELECT b.seq FROM user_mailbox b WHERE LOWER(b.email) LIKE :q ESCAPE '!'"
                    + " OR LOWER(b.first_name) LIKE :q ESCAPE '!' OR LOWER(b.last_name) LIKE :q ESCAPE '!'").bind("q", like("lia"))
                    .mapTo(String.class).list());
        }));
        assertThat(plan).contains("Bitmap Index Scan on user_mailbox_email_trgm", "Bitmap Index Scan on user_mailbox_first_name_trgm",
                "Bitmap Index Scan on user_mailbox_last_name_trgm");
    }

    private SqlStore reopen(Backend backend) {
        return backend == Backend.SQLITE ? SqlStore.openSqlite(dataDir) : SqlStore.openPostgres(postgresUrl);
    }

    // ---- data ----

    private void createMailboxes(String tenantKey, String domain, int count) {
        Set<String> locals = new HashSet<>();
        List<NewMailbox> batch = new ArrayList<>();
        while (locals.size() < count) {
            String local = local();
            if (!locals.add(local)) continue;
            String first = name();
            String last = name();
            batch.add(new NewMailbox(local, first, last));
            samples.add(first);
            samples.add(last);
            samples.add(local + "@" + domain);
            if (batch.size() == 500 || locals.size() == count) {
                Mailboxes.BulkResult result = directory.mailboxes().bulkCreate(as(tenantKey), domain, batch);
                assertThat(result.failed()).as("bulk create (seed %d)", SEED).isEmpty();
                batch = new ArrayList<>();
            }
        }
        // Some out of the listing: paused ones stay listed, recycled ones leave it.
        List<UserMailbox> all = new ArrayList<>(all(tenantKey));
        java.util.Collections.shuffle(all, random);
        for (int i = 0; i < count / 20; i++) {
            UserMailbox m = all.get(i);
            if (m.status() != MailboxStatus.ACTIVE) continue;
            if (i % 2 == 0) directory.mailboxes().delete(as(tenantKey), m.id());
            else directory.mailboxes().setActive(as(tenantKey), m.id(), false);
        }
    }

    /** A valid local part: pieces of a small alphabet (so searches find several), a unique tail, no bad dots. */
    private String local() {
        StringBuilder b = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            b.append(LOCAL_PIECES[random.nextInt(LOCAL_PIECES.length)]);
            if (random.nextInt(4) == 0) b.append('.');
        }
        b.append(Integer.toString(random.nextInt(1 << 20), 36));
        return b.toString();
    }

    private String name() {
        StringBuilder b = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i < pieces; i++) b.append(NAME_PIECES[random.nextInt(NAME_PIECES.length)]);
        return b.toString();
    }

    /** A search: a slice of a stored value (often re-cased), pieces, or random characters; some 1-2 long. */
    private String search() {
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                String value = samples.get(random.nextInt(samples.size()));
                int[] cps = value.codePoints().toArray();
                if (cps.length == 0) return "";
                int from = random.nextInt(cps.length);
                int to = Math.min(cps.length, from + 1 + random.nextInt(10));
                String slice = new String(cps, from, to - from);
                return switch (random.nextInt(3)) {
                    case 0 -> slice.toUpperCase(Locale.ROOT);
                    case 1 -> slice.toLowerCase(Locale.ROOT);
                    default -> slice;
                };
            }
            case 2, 3 -> {
                StringBuilder b = new StringBuilder();
                int pieces = 1 + random.nextInt(2);
                for (int i = 0; i < pieces; i++) b.append(NAME_PIECES[random.nextInt(NAME_PIECES.length)]);
                return b.toString();
            }
            case 4 -> {
                int[] cps = TRICKY.codePoints().toArray();
                StringBuilder b = new StringBuilder();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) b.appendCodePoint(cps[random.nextInt(cps.length)]);
                return b.toString();
            }
            default -> {
                String[] odd = {"", "%", "_", "!", "%%", "__", "a%b", "a_b", "!%", "\"\"\"", "\uD800ab", "ab\uDC00c", "a\u0000bc",
                    "NEAR(al", "al*", "^al", "al OR ex", "{email}", "email:al"};
                return odd[random.nextInt(odd.length)];
            }
        }
    }

    // ---- comparing ----

    private void compareSearches(Backend backend, int searches) {
        snapshot.clear();
        for (int n = 0; n < searches; n++) {
            String search = search();
            String tenant = random.nextInt(5) == 0 ? "globex" : "acme";
            String domain = tenant.equals("acme") && random.nextInt(4) == 0 ? "acme-mail.test" : null;
            Outcome expected = scan(backend, tenant, domain, search);
            if (backend == Backend.SQLITE && expected.error == null && search.indexOf('\0') < 0 && !hasLoneSurrogate(search)) {
                assertThat(expected.ids).as("the scan vs the LIKE written in Java, search %s (seed %d)", quoted(search), SEED)
                        .isEqualTo(sqliteLikeInJava(tenant, domain, search));
            }
            int pageSize = new int[] {1, 2, 3, 7, 25, 100}[random.nextInt(6)];
            int total = expected.ids == null ? 0 : expected.ids.size();
            int lastPage = Math.max(1, (total + pageSize - 1) / pageSize);
            for (int page : new int[] {1, 2, lastPage, lastPage + 1, 1 + random.nextInt(lastPage + 1)}) {
                Outcome actual = listed(tenant, domain, search, page, pageSize);
                String what = String.format(Locale.ROOT, "%s: search %s in %s%s, page %d of %d (seed %d)", backend,
                        quoted(search), tenant, domain == null ? "" : " " + domain, page, pageSize, SEED);
                if (expected.error != null) {
                    assertThat(actual.error).as(what).isEqualTo(expected.error);
                    continue;
                }
                assertThat(actual.error).as(what).isNull();
                int from = Math.min(total, (page - 1) * pageSize);
                assertThat(actual.ids).as(what).isEqualTo(expected.ids.subList(from, Math.min(total, from + pageSize)));
                assertThat(actual.total).as(what + ", total").isEqualTo(total);
            }
            if (expected.error == null) {
                String q = search.isEmpty() ? null : search;
                String domainId = domain == null ? null : domainId(domain);
                long count = store.read(r -> r.mailboxes().count(tenant, domainId, q));
                assertThat(count).as("count of %s (seed %d)", quoted(search), SEED).isEqualTo(total);
            }
        }
    }

    /** What a call answered: the ids in order and the total, or the kind of error it failed with. */
    private record Outcome(List<String> ids, long total, String error) {}

    private Outcome listed(String tenant, String domain, String search, int page, int pageSize) {
        try {
            Slice<Mailboxes.View> slice = directory.mailboxes().list(as(tenant), domain, null, search, page, pageSize);
            return new Outcome(slice.items().stream().map(v -> v.mailbox().id()).toList(), slice.total(), null);
        } catch (RuntimeException e) {
            return new Outcome(null, 0, e.getClass().getName());
        }
    }

    /** The list's query before the index, word for word, forced to scan on PostgreSQL (no index may serve it). */
    private Outcome scan(Backend backend, String tenant, String domain, String search) {
        String q = search.isEmpty() ? null : search;
        String domainId = domain == null ? null : domainId(domain);
        try {
            // SET LOCAL needs a transaction, which reads on PostgreSQL no longer are (ADR 0024).
            List<String> ids = store.read(r -> handle(r).inTransaction(h -> {
                if (backend == Backend.POSTGRESQL) {
                    h.execute("SET LOCAL enable_indexscan = off");
                    h.execute("SET LOCAL enable_bitmapscan = off");
                }
                var query = h.createQuery("SELECT b.id FROM user_mailbox b JOIN domain d ON d.id = b.domain_id"
                        + " WHERE b.tenant_key = :t AND b.status <> 'RECYCLED'" + (domainId == null ? "" : " AND b.domain_id = :domain")
                        + (q == null ? "" : " AND (LOWER(b.email) LIKE :q ESCAPE '!' OR LOWER(b.first_name) LIKE :q ESCAPE '!'"
                        + " OR LOWER(b.last_name) LIKE :q ESCAPE '!')") + " ORDER BY b.seq").bind("t", tenant);
                if (domainId != null) query.bind("domain", domainId);
                if (q != null) query.bind("q", like(q));
                return query.mapTo(String.class).list();
            }));
            return new Outcome(ids, ids.size(), null);
        } catch (RuntimeException e) {
            return new Outcome(null, 0, e.getClass().getName());
        }
    }

    /** The scan's pattern as it was built: lower-cased in Java, matched anywhere, '!' escaping ! % and _. */
    private static String like(String search) {
        return "%" + search.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /**
     * SQLite's answer, worked out in Java: its LOWER and LIKE fold ASCII letters only, so a field matches
     * where it contains the Java-lower-cased search once both have their ASCII letters folded.
     */
    private List<String> sqliteLikeInJava(String tenant, String domain, String search) {
        String needle = asciiLower(search.toLowerCase(Locale.ROOT));
        return snapshot.computeIfAbsent(tenant, this::all).stream()
                .filter(m -> m.status() != MailboxStatus.RECYCLED && (domain == null || m.domainName().equals(domain)))
                .filter(m -> search.isEmpty() || asciiLower(m.email()).contains(needle) || asciiLower(m.firstName()).contains(needle)
                        || asciiLower(m.lastName()).contains(needle))
                .map(UserMailbox::id).toList();
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    private void assertFtsIndexMatchesTheTable() {
        // rank 1: compare each index with its content (the table, the grams' view), not only with its own structure.
        for (String index : SqlRecords.SEARCH_INDEXES) {
            store.write(r -> handle(r).execute("INSERT INTO " + index + " (" + index + ", rank) VALUES ('integrity-check', 1)"));
        }
    }

    // ---- helpers ----

    private List<String> ids(String tenant, String search) {
        return directory.mailboxes().list(as(tenant), null, null, search, 1, 100).items().stream()
                .map(v -> v.mailbox().id()).toList();
    }

    /** Every mailbox of the tenant, recycled ones too, in creation order. */
    private List<UserMailbox> all(String tenantKey) {
        return store.read(r -> handle(r).createQuery("SELECT id FROM user_mailbox WHERE tenant_key = :t ORDER BY seq")
                .bind("t", tenantKey).mapTo(String.class).list().stream()
                .map(id -> r.mailboxes().find(tenantKey, id).orElseThrow()).toList());
    }

    private String domainId(String name) {
        return store.read(r -> handle(r).createQuery("SELECT id FROM domain WHERE name = :n").bind("n", name)
                .mapTo(String.class).one());
    }

    private static Handle handle(mailroom.directory.Records r) {
        return ((SqlRecords) r).handle();
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) return true;
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) return true;
        }
        return false;
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> b.append(cp < 0x20 || cp > 0x7e ? String.format(Locale.ROOT, "\\u{%x}", cp)
                : String.valueOf((char) cp)));
        return b.append('"').toString();
    }
}
