package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.Tenants.UserSpec;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.Users;
import mailroom.directory.tenant.Users.UserChange;
import mailroom.seed.Seeder;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Users#put}, the one write of a user, on SQLite and PostgreSQL: inside a caller's transaction (as a batch
 * import runs it), idempotent, and shared with the seed, whose two start-up exceptions it keeps.
 */
class UsersPutTest {
    @AutoClose
    private DirectoryStore store;
    private Directory directory;

    private void open(Backend backend) {
        store = TestServers.openStore(backend);
        directory = TestServers.seededDirectory(store, Clock.systemUTC());
    }

    private static UserSpec spec(String userId, String name, String email, String... departments) {
        return new UserSpec(new User(null, "acme", userId, null, null, name), email, List.of(departments));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPutOfWhatIsStoredAlreadyChangesNothingAndJournalsNothing(Backend backend) {
        open(backend);
        Users.Outcome first = directory.users().put(as("acme"), spec("u500", "Eve Park", "Eve@acme.test", "D200", "D100", "D200"));
        assertThat(first.created()).isTrue();
        assertThat(first.view().departments()).containsExactly("D100", "D200");
        assertThat(first.view().email()).isEqualTo("eve@acme.test");
        long seq = directory.journal().lastSeq();

        // Ids left out are kept, the email in another case is the same address.
        Users.Outcome again = directory.users().put(as("acme"), spec("u500", "Eve Park", "EVE@ACME.test", "D100", "D200"));

        assertThat(again.created()).isFalse();
        assertThat(again.changed()).isFalse();
        assertThat(again.view().user()).isEqualTo(first.view().user());
        assertThat(directory.journal().lastSeq()).isEqualTo(seq);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void putsInsideOneTransactionCommitOrRollBackTogetherWithTheirAddresses(Backend backend) {
        open(backend);
        long now = System.currentTimeMillis();
        assertThatThrownBy(() -> store.writeTenant("acme", r -> {
            Tenant acme = Tenants.require(r, "acme");
            Users.put(r, as("acme"), acme, spec("u501", "First One", "first@acme.test"), now);
            Users.put(r, as("acme"), acme, spec("u502", "Second One", "alice@acme.test"), now);
            return null;
        })).isInstanceOfSatisfying(DirectoryException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.ADDRESS_IS_LOGIN_ACCOUNT));
        assertThat(directory.tenants().user("acme", new mailroom.directory.tenant.UserRef(
                mailroom.directory.tenant.UserIdKind.USER_ID, "u501"))).isEmpty();
        boolean firstClaimed = store.read(r -> r.addresses().find("first@acme.test").isPresent());
        assertThat(firstClaimed).as("the rolled-back put's address is free").isFalse();

        store.writeTenant("acme", r -> {
            Tenant acme = Tenants.require(r, "acme");
            Users.put(r, as("acme"), acme, spec("u501", "First One", "first@acme.test"), now);
            Users.put(r, as("acme"), acme, spec("u502", "Second One", "second@acme.test"), now);
            return null;
        });
        boolean secondClaimed = store.read(r -> r.addresses().find("second@acme.test").isPresent());
        assertThat(secondClaimed).isTrue();
        assertThat(directory.users().get(as("acme"), "u501").email()).isEqualTo("first@acme.test");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theSeedKeepsAnAddressChangedThroughTheOperatorDoorAndSaysWhyAUserGetsNoMailbox(Backend backend) {
        open(backend);
        directory.users().update(as("acme"), "u100", new UserChange(null, null, null, "alice.liu@acme.test", false, null));
        directory.mailGroups().create(as("acme"), new MailGroups.Fields("dan@acme.test", null, null, WhoCanSend.ANYONE));
        long seq = directory.journal().lastSeq();

        // The contract seed again, with u400 given an address a mail group now has.
        Tenants.TenantSpec contract = Seeder.specOf(TestServers.contractSeed().tenants().get(0));
        List<UserSpec> users = contract.users().stream().map(u -> u.user().userId().equals("u400")
                ? new UserSpec(u.user(), "dan@acme.test", u.departmentIds()) : u).toList();
        List<String> notes = directory.tenants().provision(Caller.seed("acme"), new Tenants.TenantSpec(contract.tenant(),
                contract.domains(), contract.departments(), users, contract.apps(), contract.serviceAccounts(), contract.rateLimits()));

        assertThat(notes).containsExactly("user u400 of tenant acme gets no mailbox: dan@acme.test already belongs to a MAIL_GROUP");
        assertThat(directory.users().get(as("acme"), "u100").email()).isEqualTo("alice.liu@acme.test");
        assertThat(directory.users().get(as("acme"), "u400").mailbox()).isNull();
        assertThat(directory.journal().lastSeq()).isEqualTo(seq);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theSeedLeavesOutAMailboxOverTheTenantsLimitWithANoteWhileTheOperatorDoorRefusesIt(Backend backend) {
        open(backend);
        // tiny may have 5 user mailboxes; t100's is released and four mailboxes of their own fill the tenant.
        directory.mailboxes().moveToRecycleBin(as("tiny"), "tom@tiny.test");
        directory.mailboxes().release(as("tiny"), "tom@tiny.test", null);
        for (String local : List.of("m1", "m2", "m3", "m4")) {
            directory.mailboxes().create(as("tiny"), "tiny.test", new mailroom.directory.mailbox.Mailboxes.NewMailbox(local, "M", local));
        }

        List<String> notes = directory.tenants().provision(Caller.seed("tiny"), Seeder.specOf(TestServers.contractSeed().tenants().get(2)));

        assertThat(notes).containsExactly("user t100 of tenant tiny gets no mailbox: the tenant has reached its limit of 5 user mailboxes");
        assertThat(directory.users().get(as("tiny"), "t100").mailbox()).isNull();
        assertThatThrownBy(() -> directory.users().update(as("tiny"), "t100",
                new UserChange(null, null, null, "tom@tiny.test", false, null)))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MAILBOX_LIMIT_REACHED));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aUserWhoseMailboxIsAlreadyInTheRecycleBinIsDeletedAndTheMailboxStaysThere(Backend backend) {
        open(backend);
        directory.mailboxes().moveToRecycleBin(as("acme"), "bob@acme.test");
        assertThatThrownBy(() -> directory.users().update(as("acme"), "u200",
                new UserChange(null, null, null, "robert@acme.test", false, null)))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.field()).isEqualTo("email"));

        directory.users().delete(as("acme"), "u200");

        var mailbox = store.read(r -> r.mailboxes().find("acme", "bob@acme.test")).orElseThrow();
        assertThat(mailbox.status()).isEqualTo(MailboxStatus.RECYCLED);
        assertThat(mailbox.userRef()).isNull();
        List<Change.Entry> last = directory.journal().after(directory.journal().lastSeq() - 2, 10);
        assertThat(last).extracting(e -> e.change().objectKind() + " " + e.change().op())
                .containsExactly("USER_MAILBOX UPDATE", "USER DELETE");
    }
}
