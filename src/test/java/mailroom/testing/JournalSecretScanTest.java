package mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Journal;
import mailroom.store.SqlStore;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The scan that every test's databases pass through can fail: it finds each form of secret planted in an entry,
 * finds nothing in a journal of the seed alone, and fails the test whose server journalled a secret.
 */
class JournalSecretScanTest {
    private static final Caller PLANTER = new Caller("acme", Caller.ActorKind.OPERATOR, "planter", "req-1");

    /** Appends one entry whose after state is {@code state}, as a bug in the directory would. */
    private static void plant(DirectoryStore store, Map<String, Object> state) {
        store.write(r -> {
            Journal.created(r, PLANTER, 1, ObjectKind.APP, "cli_planted", state);
            return null;
        });
    }

    @Test
    void theScanFindsEveryFormOfSecretAndNothingInTheSeedsJournal() throws Exception {
        Path dir = Files.createTempDirectory("mailroom-planted");
        JournalSecrets.Database db = new JournalSecrets.Database(dir, null);
        String kept;
        try (DirectoryStore store = SqlStore.openSqlite(dir)) {
            TestServers.seededDirectory(store, Clock.systemUTC());
            assertThat(JournalSecrets.scan(db)).as("the seed journals no secret").isEmpty();
            kept = Jdbi.create("jdbc:sqlite:" + dir.resolve("mailroom.db")).withHandle(h ->
                    h.createQuery("SELECT token_hash FROM service_account LIMIT 1").mapTo(String.class).one());
            long before = store.read(r -> r.journal().lastSeq());
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("a", "mr_op_q4Xz0w9S2b7NcVh1kLm3PrT6yUa8dEf5gHj0iKl2oM4");
            state.put("b", "hbx_sa_acme_provisioning");
            state.put("c", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
            state.put("d", List.of("pbkdf2$60000$bm8gc3VjaCBhcHAgaGVyZQ==$AAAA"));
            state.put("e", Map.of("f", "4DOVDK_FcQ2EyzRbAy_TV06dBrAhNw3X"));
            state.put("g", "secret-full");
            plant(store, state);
            plant(store, Map.of("app_id", "cli_planted", "secret_hash", "x", "nested", Map.of("token", "y")));
            plant(store, Map.of("copied", kept));
            long first = before + 1;
            assertThat(JournalSecrets.scan(db)).containsExactly(
                    db + ": entry " + first + " after_state holds a secret's form: mr_op_q4Xz0w9S2b7NcVh1kLm3PrT6yUa8dEf5gHj0iKl2oM4",
                    db + ": entry " + first + " after_state holds a secret's form: hbx_sa_acme_provisioning",
                    db + ": entry " + first + " after_state holds a secret's form: whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                    db + ": entry " + first + " after_state holds a secret's form: pbkdf2$60000$",
                    db + ": entry " + first + " after_state holds a secret's form: 4DOVDK_FcQ2EyzRbAy_TV06dBrAhNw3X",
                    db + ": entry " + first + " after_state holds a seeded secret: secret-full",
                    db + ": entry " + (first + 1) + " after_state has a key naming a secret: token",
                    db + ": entry " + (first + 1) + " after_state has a key naming a secret: secret_hash",
                    db + ": entry " + (first + 2) + " after_state holds a secret's form: " + kept,
                    db + ": entry " + (first + 2) + " after_state holds a value kept as a secret: " + kept);
        }
    }

    /** Set only while {@link #aTestWhoseServerJournalsASecretFails} runs {@link Planted}; otherwise it skips. */
    static volatile boolean planting;

    /** A test whose store journals a secret: run only from the test above, through its own launcher. */
    static final class Planted {
        @Test
        void plantsASecretInItsStore() {
            Assumptions.assumeTrue(planting);
            try (DirectoryStore store = TestServers.openStore(TestServers.Backend.SQLITE)) {
                plant(store, Map.of("note", "hbx_sa_leaked_token"));
            }
        }
    }

    @Test
    void aTestWhoseServerJournalsASecretFails() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        planting = true;
        try {
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Planted.class)).build(), listener);
        } finally {
            planting = false;
        }
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsStartedCount()).isEqualTo(1);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        Throwable failure = summary.getFailures().getFirst().getException();
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageStartingWith("secrets in the change journal (1):\n  ")
                .hasMessageEndingWith(" after_state holds a secret's form: hbx_sa_leaked_token");
    }
}
