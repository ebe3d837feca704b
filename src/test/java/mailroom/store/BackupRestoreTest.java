package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mailroom.Main;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailroom backup} and {@code mailroom restore} on a real SQLite store: a backup taken while a server
 * serves and writes is sound and one consistent moment of it; a restore brings exactly that moment back, and is
 * refused, changing nothing, while a server holds the store or when the file is no Mailroom backup.
 */
class BackupRestoreTest {
    @TempDir
    Path dir;

    /** What a command printed and how it ended. */
    record Ran(int exit, List<String> out, List<String> err) {}

    static Ran mailroom(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
        return new Ran(exit, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private static MailroomServer start(Path data, boolean seeded) {
        MailroomServer.Options options = TestServers.options(TestServers.Backend.SQLITE, data);
        return MailroomServer.start(seeded ? options : new MailroomServer.Options(options.host(), 0, data, null, List.of(), false));
    }

    private static boolean createGroup(FeishuHttp http, String email) {
        FeishuHttp.Response r = http.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"" + email + "\",\"name\":\"G\"}");
        return r.status() == 200 && r.json().get("code").asInt() == 0;
    }

    private static <T> T inDatabase(Path file, java.util.function.Function<Handle, T> work) {
        try (Handle h = Jdbi.create("jdbc:sqlite:" + file.toAbsolutePath()).open()) {
            return work.apply(h);
        }
    }

    private static Set<String> groups(Handle h) {
        return new TreeSet<>(h.createQuery("SELECT email FROM mail_group").mapTo(String.class).list());
    }

    /** Every row of every table, as text, table by table: two dumps are equal when the stores hold the same. */
    private static TreeMap<String, List<String>> dump(Path file) {
        return inDatabase(file, h -> {
            TreeMap<String, List<String>> out = new TreeMap<>();
            for (String table : h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").mapTo(String.class).list()) {
                List<String> rows = new ArrayList<>(h.createQuery("SELECT * FROM \"" + table + "\"").mapToMap().map(BackupRestoreTest::row).list());
                Collections.sort(rows);
                out.put(table, rows);
            }
            return out;
        });
    }

    /** A row as text, blobs (the search index's) in hex. */
    private static String row(java.util.Map<String, Object> columns) {
        StringBuilder out = new StringBuilder();
        columns.forEach((name, value) -> out.append(name).append('=')
                .append(value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : String.valueOf(value)).append("; "));
        return out.toString();
    }

    private static String describe(Path file) {
        return inDatabase(file, h -> h.createQuery("SELECT count(*) FROM tenant").mapTo(Long.class).one() + " tenants, "
                + h.createQuery("SELECT count(*) FROM address").mapTo(Long.class).one() + " addresses");
    }

    @Test
    void aBackupTakenWhileAWriterCreatesMailGroupsHoldsEveryAcknowledgedOneAndIsOneConsistentMoment() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup.db");
        try (MailroomServer server = start(data, true)) {
            FeishuHttp http = new FeishuHttp(server.port());
            http.token("cli_full");
            List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().name("group-writer").start(() -> {
                try {
                    for (int i = 0; !stop.get() && i < 900; i++) {
                        if (createGroup(http, "g" + i + "@acme.test")) acknowledged.add("g" + i + "@acme.test");
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            while (acknowledged.size() < 30 && writer.isAlive()) Thread.sleep(5);
            Set<String> before = new TreeSet<>(acknowledged);

            Ran ran = mailroom("backup", "--data", data, "--to", backup);

            int atEnd = acknowledged.size();
            while (acknowledged.size() < atEnd + 10 && writer.isAlive()) Thread.sleep(5);
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(failed.get()).isNull();
            assertThat(atEnd).as("groups acknowledged while the backup ran").isGreaterThan(before.size());
            assertThat(ran.err()).isEmpty();
            assertThat(ran.exit()).isZero();
            assertThat(ran.out()).containsExactly("wrote " + backup + ": " + Files.size(backup) + " bytes, " + describe(backup));

            inDatabase(backup, h -> {
                assertThat(h.createQuery("PRAGMA integrity_check").mapTo(String.class).list()).containsExactly("ok");
                Set<String> copied = groups(h);
                assertThat(copied).as("every group acknowledged before the backup began").containsAll(before);
                assertThat(acknowledged).as("only groups that were created, and not those created after the backup").containsAll(copied)
                        .hasSizeGreaterThan(copied.size());
                // One moment: the counters, the address namespace and the journal agree with the rows they describe.
                assertThat(CountedRows.fromCounters(h)).isEqualTo(CountedRows.fromRows(h));
                assertThat(new TreeSet<>(h.createQuery("SELECT address FROM address WHERE kind = 'MAIL_GROUP'").mapTo(String.class).list()))
                        .isEqualTo(copied);
                assertThat(new TreeSet<>(h.createQuery("SELECT g.email FROM change_log c JOIN mail_group g ON g.id = c.object_id"
                        + " WHERE c.object_kind = 'MAIL_GROUP' AND c.op = 'CREATE'").mapTo(String.class).list())).isEqualTo(copied);
                assertThat(h.createQuery("SELECT count(*) FROM change_log WHERE object_kind = 'MAIL_GROUP' AND op = 'CREATE'")
                        .mapTo(Long.class).one()).isEqualTo(copied.size());
                assertThat(h.createQuery("SELECT last_seq FROM change_log_counter").mapTo(Long.class).one())
                        .isEqualTo(h.createQuery("SELECT max(seq) FROM change_log").mapTo(Long.class).one());
                return null;
            });
            assertThat(dir.toFile().list()).as("no partial file is left").containsExactlyInAnyOrder("data", "backup.db");
        }
    }

    @Test
    void anExistingBackupIsReplacedOnlyWithForce() throws Exception {
        Path data = dir.resolve("data");
        Path backup = Files.writeString(dir.resolve("backup.db"), "an older file");
        try (MailroomServer server = start(data, true)) {
            Ran refused = mailroom("backup", "--data", data, "--to", backup);
            assertThat(refused.err()).containsExactly("mailroom: backup refused: " + backup + " already exists (--force replaces it)");
            assertThat(refused.out()).isEmpty();
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(Files.readString(backup)).isEqualTo("an older file");

            Ran forced = mailroom("backup", "--data", data, "--to", backup, "--force");
            assertThat(forced.exit()).isZero();
            assertThat(forced.out()).containsExactly("wrote " + backup + ": " + Files.size(backup) + " bytes, 3 tenants, 6 addresses");
        }
        Ran nothing = mailroom("backup", "--data", dir.resolve("empty"), "--to", dir.resolve("other.db"));
        assertThat(nothing.err()).containsExactly("mailroom: backup refused: no store at " + dir.resolve("empty").resolve("mailroom.db"));
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(dir.resolve("other.db")).doesNotExist();
    }

    @Test
    void aRestoreBringsBackExactlyTheBackedUpStateAndKeepsTheStoreItReplaced() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup.db");
        try (MailroomServer server = start(data, true)) {
            FeishuHttp http = new FeishuHttp(server.port());
            assertThat(createGroup(http, "kept@acme.test")).isTrue();
            assertThat(mailroom("backup", "--data", data, "--to", backup).exit()).isZero();
            assertThat(createGroup(http, "later@acme.test")).isTrue();
            assertThat(http.call("cli_full", "DELETE", "/open-apis/mail/v1/mailgroups/kept@acme.test", null).json().get("code").asInt()).isZero();
        }
        TreeMap<String, List<String>> backedUp = dump(backup);

        Ran ran = mailroom("restore", "--from", backup, "--data", data);
        Path db = data.resolve("mailroom.db");
        assertThat(ran.err()).isEmpty();
        assertThat(ran.out()).containsExactly("restored " + db + " from " + backup + ": " + Files.size(db) + " bytes, " + describe(backup),
                "the replaced store is kept as " + data.resolve("mailroom.db.before-restore"));
        assertThat(ran.exit()).isZero();
        assertThat(data.toFile().list()).containsExactlyInAnyOrder("mailroom.db", "mailroom.db.before-restore", "mailroom.lock");
        assertThat(inDatabase(data.resolve("mailroom.db.before-restore"), BackupRestoreTest::groups)).containsExactly("later@acme.test");

        try (MailroomServer server = start(data, false)) {
            FeishuHttp http = new FeishuHttp(server.port());
            assertThat(http.call("cli_full", "GET", "/open-apis/mail/v1/mailgroups/kept@acme.test", null).json().at("/data/email").asText())
                    .isEqualTo("kept@acme.test");
            assertThat(http.call("cli_full", "GET", "/open-apis/mail/v1/mailgroups/later@acme.test", null).status()).isEqualTo(404);
        }
        assertThat(dump(db)).as("the store a server started on is the backup, row for row").isEqualTo(backedUp);
    }

    @Test
    void aRestoreWhileAServerHoldsTheStoreIsRefusedAndChangesNothing() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup.db");
        try (MailroomServer server = start(data, true)) {
            assertThat(mailroom("backup", "--data", data, "--to", backup).exit()).isZero();
            FeishuHttp http = new FeishuHttp(server.port());
            assertThat(createGroup(http, "after@acme.test")).isTrue();
            Set<String> listing = Set.of(data.toFile().list());

            Ran ran = mailroom("restore", "--from", backup, "--data", data);
            assertThat(ran.err()).containsExactly("mailroom: restore refused: " + data.resolve("mailroom.db") + " is in use by a running Mailroom server (pid "
                    + ProcessHandle.current().pid() + " holds " + data.resolve("mailroom.lock") + "); stop it first");
            assertThat(ran.out()).isEmpty();
            assertThat(ran.exit()).isEqualTo(1);
            assertThat(Set.of(data.toFile().list())).isEqualTo(listing);
            assertThat(createGroup(http, "still@acme.test")).as("the server goes on").isTrue();
            assertThat(mailroom("restore", "--from", backup, "--data", data).exit()).as("and still holds its lock").isEqualTo(1);
        }
        assertThat(inDatabase(data.resolve("mailroom.db"), BackupRestoreTest::groups)).containsExactly("after@acme.test", "still@acme.test");
    }

    @Test
    void aFileThatIsNoSoundMailroomBackupIsRefusedBeforeAnythingIsReplaced() throws Exception {
        Path data = dir.resolve("data");
        try (MailroomServer server = start(data, true)) {
            assertThat(createGroup(new FeishuHttp(server.port()), "mine@acme.test")).isTrue();
        }
        TreeMap<String, List<String>> store = dump(data.resolve("mailroom.db"));
        Path text = Files.writeString(dir.resolve("notes.db"), "not a database at all, only some text long enough to be read\n".repeat(100));
        Path foreign = dir.resolve("foreign.db");
        Jdbi.create("jdbc:sqlite:" + foreign).useHandle(h -> h.execute("CREATE TABLE t (x INTEGER)"));
        Path damaged = dir.resolve("damaged.db");
        Files.copy(data.resolve("mailroom.db"), damaged);
        try (var file = java.nio.channels.FileChannel.open(damaged, java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap(new byte[4096]), 4096 * 3); // a page of zeros in the middle of a b-tree
        }

        assertThat(mailroom("restore", "--from", text, "--data", data).err()).containsExactly("mailroom: restore refused: " + text
                + " is not a Mailroom database: [SQLITE_NOTADB] File opened that is not a database file (file is not a database)");
        assertThat(mailroom("restore", "--from", foreign, "--data", data).err()).containsExactly("mailroom: restore refused: " + foreign
                + " is not a Mailroom database: it has no flyway_schema_history table");
        Ran broken = mailroom("restore", "--from", damaged, "--data", data);
        assertThat(broken.err()).singleElement().asString().startsWith("mailroom: restore refused: " + damaged + " is damaged: ");
        assertThat(broken.exit()).isEqualTo(1);
        Ran missing = mailroom("restore", "--from", dir.resolve("nowhere.db"), "--data", data);
        assertThat(missing.err()).containsExactly("mailroom: restore refused: cannot read " + dir.resolve("nowhere.db") + ": no such file");
        assertThat(missing.exit()).isEqualTo(1);

        assertThat(data.toFile().list()).containsExactlyInAnyOrder("mailroom.db", "mailroom.lock");
        assertThat(dump(data.resolve("mailroom.db"))).isEqualTo(store);
    }

    @Test
    void aRestoreIntoANewDataDirectorySaysThereWasNothingToKeep() throws Exception {
        Path backup = dir.resolve("backup.db");
        try (MailroomServer server = start(dir.resolve("data"), true)) {
            assertThat(mailroom("backup", "--data", dir.resolve("data"), "--to", backup).exit()).isZero();
        }
        Path fresh = dir.resolve("fresh");
        Ran ran = mailroom("restore", "--from", backup, "--data", fresh);
        assertThat(ran.out()).containsExactly("restored " + fresh.resolve("mailroom.db") + " from " + backup + ": "
                + Files.size(fresh.resolve("mailroom.db")) + " bytes, 3 tenants, 6 addresses", "there was no store to keep");
        assertThat(ran.exit()).isZero();
        AtomicInteger tenants = new AtomicInteger();
        try (MailroomServer server = start(fresh, false)) {
            tenants.set(server.directory().tenants().find("acme").isPresent() ? 1 : 0);
        }
        assertThat(tenants.get()).isEqualTo(1);
    }
}
