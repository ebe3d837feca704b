package mailroom.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.directory.tenant.AppSecrets;
import mailroom.directory.tenant.Tenants;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed secrets worked out ahead of provisioning: an answer found against one stored hash is not trusted for
 * another, so a secret changed in between (another node, another seed) is still checked against what is stored.
 */
class AppSecretsTest {
    private final DirectoryStore store = TestServers.openStore(Backend.SQLITE);
    private final Directory directory = TestServers.seededDirectory(store, java.time.Clock.systemUTC());

    @AfterEach
    void close() {
        store.close();
    }

    private Tenants.TenantSpec withSecret(String secret) {
        Tenants tenants = directory.tenants();
        return new Tenants.TenantSpec(tenants.find("globex").orElseThrow(), List.of("globex.test"), List.of(), List.of(),
                List.of(new Tenants.AppSpec("cli_globex", secret, Set.of("mail:mailgroup"))), List.of());
    }

    private String hash() {
        return directory.tenants().app("cli_globex").map(App::secretHash).orElseThrow();
    }

    @Test
    void anAnswerPreparedAgainstAnOlderHashIsCheckedAgainWithTheStoredOne() {
        Tenants tenants = directory.tenants();
        Caller seed = Caller.seed("globex");
        tenants.provision(seed, withSecret("secret-one"));
        String first = hash();
        AppSecrets prepared = tenants.prepareSecrets(List.of(withSecret("secret-one")));

        tenants.provision(seed, withSecret("secret-two"));
        String second = hash();
        long seq = directory.journal().lastSeq();
        tenants.provision(seed, withSecret("secret-one"), prepared);

        String third = hash();
        assertThat(third).isNotIn(first, second);
        assertThat(Secrets.verifyPassword("secret-one", third)).isTrue();
        assertThat(Secrets.verifyPassword("secret-two", third)).isFalse();
        assertThat(directory.journal().after(seq, 10)).extracting(e -> e.change().objectId()).containsExactly("cli_globex");
    }

    @Test
    void secretsHashedAheadForAnEmptyStoreAreStillCheckedAgainstAnAppThatIsStoredAfterAll() {
        Tenants tenants = directory.tenants();
        Caller seed = Caller.seed("globex");
        tenants.provision(seed, withSecret("secret-one"));
        String first = hash();
        long seq = directory.journal().lastSeq();

        tenants.provision(seed, withSecret("secret-one"), AppSecrets.forEmptyStore(List.of(withSecret("secret-one"))));
        assertThat(hash()).isEqualTo(first);
        assertThat(directory.journal().lastSeq()).isEqualTo(seq);

        tenants.provision(seed, withSecret("secret-two"), AppSecrets.forEmptyStore(List.of(withSecret("secret-two"))));
        assertThat(Secrets.verifyPassword("secret-two", hash())).isTrue();
        assertThat(directory.journal().after(seq, 10)).extracting(e -> e.change().objectId()).containsExactly("cli_globex");
    }

    @Test
    void aPreparedAnswerForTheStoredHashIsUsedAndChangesNothing() {
        Tenants tenants = directory.tenants();
        Caller seed = Caller.seed("globex");
        tenants.provision(seed, withSecret("secret-one"));
        String first = hash();
        long seq = directory.journal().lastSeq();

        tenants.provision(seed, withSecret("secret-one"), tenants.prepareSecrets(List.of(withSecret("secret-one"))));

        assertThat(hash()).isEqualTo(first);
        assertThat(directory.journal().lastSeq()).isEqualTo(seq);
    }
}
