package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxMember;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.RateQuota;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The recycle-bin lifecycle at directory level, on SQLite and PostgreSQL, checked against what the
 * store holds afterwards: what recycling keeps reserved, what releasing removes.
 */
class MailboxRecycleBinTest {
    @AutoClose
    private DirectoryStore store;
    private Directory directory;

    private void open(Backend backend) throws Exception {
        store = TestServers.openStore(backend);
        directory = TestServers.seededDirectory(store, Clock.systemUTC());
    }

    private static Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (DirectoryException e) {
            return e.reason();
        }
        throw new AssertionError("expected a DirectoryException");
    }

    private <T> T read(java.util.function.Function<Records, T> query) {
        return store.read(query);
    }

    private java.util.Optional<UserMailbox> storedMailbox(String email) {
        return store.read(r -> r.mailboxes().find("acme", email));
    }

    private java.util.Optional<AddressEntry> storedAddress(String address) {
        return store.read(r -> r.addresses().find(address));
    }

    private java.util.Optional<PublicMailbox> storedPublicMailbox(String id) {
        return store.read(r -> r.publicMailboxes().find("acme", id));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void movingAUserMailboxToTheRecycleBinKeepsItsAddressesReservedUntilReleased(Backend backend) throws Exception {
        open(backend);
        Mailboxes boxes = directory.mailboxes();
        boxes.aliases().add(as("acme"), "carol@acme.test", "cw@acme-mail.test");
        MailGroup group = directory.mailGroups().create(as("acme"), new MailGroups.Fields("eng@acme.test", null, null, null));
        directory.mailGroups().addMembers(as("acme"), group.id(), MemberList.MEMBERS, List.of(
                new MemberSpec(MemberType.OTHER_MEMBER, null, null, "cw@acme-mail.test"),
                new MemberSpec(MemberType.USER, new UserRef(UserIdKind.OPEN_ID, "ou_300"), null, null)));
        directory.mailGroups().addMembers(as("acme"), group.id(), MemberList.PERMISSION_MEMBERS, List.of(
                new MemberSpec(MemberType.USER, new UserRef(UserIdKind.OPEN_ID, "ou_300"), null, null)));

        UserMailbox recycled = boxes.moveToRecycleBin(as("acme"), "Carol@acme.test");

        assertThat(recycled.status()).isEqualTo(MailboxStatus.RECYCLED);
        assertThat(storedMailbox("carol@acme.test").orElseThrow().status())
                .isEqualTo(MailboxStatus.RECYCLED);
        assertThat(storedAddress("carol@acme.test")).isPresent();
        assertThat(storedAddress("cw@acme-mail.test")).isPresent();
        assertThat(directory.addressLookup().query(as("acme"), List.of("carol@acme.test", "cw@acme-mail.test")))
                .extracting(AddressLookup.Answer::status, AddressLookup.Answer::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AddressLookup.Status.RECYCLED, AddressKind.USER_MAILBOX),
                        org.assertj.core.groups.Tuple.tuple(AddressLookup.Status.RECYCLED, AddressKind.USER_ALIAS));
        // Out of service: the Feishu alias API no longer finds it, recycling twice finds nothing.
        assertThat(reasonOf(() -> boxes.aliases().list(as("acme"), "carol@acme.test"))).isEqualTo(Reason.USER_MAILBOX_NOT_FOUND);
        assertThat(reasonOf(() -> boxes.moveToRecycleBin(as("acme"), "carol@acme.test"))).isEqualTo(Reason.USER_MAILBOX_NOT_FOUND);
        // Still reserved: nobody else may take the address or the alias.
        assertThat(reasonOf(() -> directory.publicMailboxes().create(as("acme"),
                new PublicMailboxes.Fields("carol@acme.test", "x", null), true))).isEqualTo(Reason.ADDRESS_IS_LOGIN_ACCOUNT);
        assertThat(reasonOf(() -> directory.publicMailboxes().create(as("acme"),
                new PublicMailboxes.Fields("cw@acme-mail.test", "x", null), true))).isEqualTo(Reason.ADDRESS_TAKEN);

        boxes.release(as("acme"), "carol@acme.test", "alice@acme.test");

        assertThat(storedMailbox("carol@acme.test")).isEmpty();
        assertThat(storedAddress("carol@acme.test")).isEmpty();
        assertThat(storedAddress("cw@acme-mail.test")).isEmpty();
        // The member naming her alias is gone; Carol the person is still in the contact directory,
        // so her USER memberships stay.
        assertThat(directory.mailGroups().members(as("acme"), group.id(), MemberList.MEMBERS, new PageRequest(null, 20)).items())
                .extracting(Member::type).containsExactly(MemberType.USER);
        assertThat(directory.mailGroups().members(as("acme"), group.id(), MemberList.PERMISSION_MEMBERS, new PageRequest(null, 20))
                .items()).hasSize(1);
        assertThat(directory.tenants().user("acme", new UserRef(UserIdKind.OPEN_ID, "ou_300"))).isPresent();
        assertThat(directory.publicMailboxes().create(as("acme"), new PublicMailboxes.Fields("cw@acme-mail.test", "x", null), true)
                .email()).isEqualTo("cw@acme-mail.test");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void releasingIsRefusedForMailboxesInServiceAndForBadTransferTargets(Backend backend) throws Exception {
        open(backend);
        Mailboxes boxes = directory.mailboxes();
        assertThat(reasonOf(() -> boxes.release(as("acme"), "bob@acme.test", null))).isEqualTo(Reason.NOT_IN_RECYCLE_BIN);
        assertThat(reasonOf(() -> boxes.release(as("acme"), "nobody@acme.test", null))).isEqualTo(Reason.USER_MAILBOX_NOT_FOUND);
        assertThat(reasonOf(() -> boxes.release(as("globex"), "bob@acme.test", null))).isEqualTo(Reason.USER_MAILBOX_NOT_FOUND);
        boxes.moveToRecycleBin(as("acme"), "bob@acme.test");
        boxes.moveToRecycleBin(as("acme"), "carol@acme.test");
        assertThat(reasonOf(() -> boxes.release(as("acme"), "bob@acme.test", "carol@acme.test"))).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(reasonOf(() -> boxes.release(as("acme"), "bob@acme.test", "bob@acme.test"))).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(reasonOf(() -> boxes.release(as("acme"), "bob@acme.test", "gina@globex.test"))).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(reasonOf(() -> boxes.release(as("acme"), "bob@acme.test", "not an address"))).isEqualTo(Reason.INVALID_ADDRESS);
        assertThat(storedMailbox("bob@acme.test")).isPresent();
        boxes.release(as("acme"), "bob@acme.test", " ");
        assertThat(storedMailbox("bob@acme.test")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void recyclingAPublicMailboxStoresStatusAndForwardingAddressAndKeepsItsMembers(Backend backend) throws Exception {
        open(backend);
        PublicMailboxes boxes = directory.publicMailboxes();
        PublicMailbox box = boxes.create(as("acme"), new PublicMailboxes.Fields("desk@acme.test", "Desk", null), false);
        assertThat(box.geo()).isEqualTo("cn");
        boxes.addMembers(as("acme"), box.id(), List.of(new UserRef(UserIdKind.OPEN_ID, "ou_100")));
        boxes.aliases().add(as("acme"), box.id(), "desk2@acme.test");

        boxes.moveToRecycleBin(as("acme"), "desk@acme.test", "Bob@acme.test");

        PublicMailbox stored = storedPublicMailbox(box.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(MailboxStatus.RECYCLED);
        assertThat(stored.toMailAddress()).isEqualTo("bob@acme.test");
        assertThat(this.<List<PublicMailboxMember>>read(r -> r.publicMailboxes().members(box.id(), new PageRequest(null, 20)).items())).hasSize(1);
        assertThat(this.<Integer>read(r -> r.publicMailboxes().count("acme"))).isEqualTo(1);
        assertThat(this.<List<AddressEntry>>read(r -> r.addresses().aliasesOf(box.id()))).extracting(AddressEntry::address).containsExactly("desk2@acme.test");
        assertThat(reasonOf(() -> boxes.get(as("acme"), box.id()))).isEqualTo(Reason.PUBLIC_MAILBOX_NOT_FOUND);

        boxes.release(as("acme"), box.id());

        assertThat(storedPublicMailbox(box.id())).isEmpty();
        assertThat(this.<List<PublicMailboxMember>>read(r -> r.publicMailboxes().members(box.id(), new PageRequest(null, 20)).items())).isEmpty();
        assertThat(this.<List<AddressEntry>>read(r -> r.addresses().aliasesOf(box.id()))).isEmpty();
        assertThat(storedAddress("desk@acme.test")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void seededRateLimitOverridesAreStoredAndReseedingTheSameFileChangesNothing(Backend backend) throws Exception {
        open(backend);
        Tenants tenants = directory.tenants();
        Tenants.TenantSpec spec = new Tenants.TenantSpec(tenants.find("globex").orElseThrow(), List.of("globex.test"),
                List.of(), List.of(), List.of(), List.of(),
                Map.of("POST /open-apis/mail/v1/users/query", "5/S", "POST /open-apis/mail/v1/public_mailboxes", "1000/min&50/s"));
        tenants.provision(Caller.seed("globex"), spec);
        tenants.provision(Caller.seed("globex"), spec);
        assertThat(tenants.rateLimits("globex")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "POST /open-apis/mail/v1/users/query", RateQuota.parse("5/s"),
                "POST /open-apis/mail/v1/public_mailboxes", RateQuota.parse("1000/min & 50/s")));
        assertThat(this.<Map<String, String>>read(r -> r.tenants().rateLimits("globex"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "POST /open-apis/mail/v1/users/query", "5/s", "POST /open-apis/mail/v1/public_mailboxes", "1000/min & 50/s"));
        assertThatThrownBy(() -> tenants.provision(Caller.seed("globex"), new Tenants.TenantSpec(spec.tenant(), List.of(), List.of(), List.of(),
                List.of(), List.of(), Map.of("POST /open-apis/mail/v1/users/query", "5/fortnight"))))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("5/fortnight");
        assertThat(this.<Map<String, String>>read(r -> r.tenants().rateLimits("globex"))).hasSize(2);
        tenants.provision(Caller.seed("globex"), new Tenants.TenantSpec(spec.tenant(), List.of(), List.of(), List.of(), List.of(),
                List.of()));
        assertThat(tenants.rateLimits("globex")).isEmpty();
    }
}
