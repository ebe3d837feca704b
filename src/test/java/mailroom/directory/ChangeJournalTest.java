package mailroom.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Change.Op;
import mailroom.directory.access.App;
import mailroom.directory.access.ServiceAccounts;
import mailroom.directory.address.AddressKind;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxMember;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.seed.Seeder;
import mailroom.store.SqlStore;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.Together;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change journal on SQLite and PostgreSQL: each kind of write appends exactly the rows it should,
 * under the caller that made it, with the state it left; refused writes append nothing; and the
 * sequence is gap-free however many writers (or nodes) write at once.
 */
class ChangeJournalTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Caller APP = new Caller("acme", Caller.ActorKind.APP, "cli_full", "req-1");
    private static final Caller ACCOUNT = new Caller("acme", Caller.ActorKind.SERVICE_ACCOUNT, "sa-1", "req-2");

    private final List<DirectoryStore> stores = new ArrayList<>();
    private DirectoryStore store;
    private Directory directory;
    private final TestClock clock = TestClock.movable(T0);

    private void open(Backend backend) {
        store = TestServers.openStore(backend);
        stores.add(store);
        directory = TestServers.seededDirectory(store, clock);
    }

    @AfterEach
    void close() {
        stores.forEach(DirectoryStore::close);
    }

    /** One journal row as the assertions compare it: kind, op and object id. */
    private record Row(ObjectKind kind, Op op, String id) {}

    private List<Change.Entry> since(long seq) {
        return directory.journal().after(seq, 10_000);
    }

    private static List<Row> rows(List<Change.Entry> entries) {
        return entries.stream().map(e -> new Row(e.change().objectKind(), e.change().op(), e.change().objectId())).toList();
    }

    private static Map<String, Object> state(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }

    private static void assertGapFree(List<Change.Entry> entries) {
        assertThat(entries).extracting(Change.Entry::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, entries.size()).boxed().toList());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void seedingJournalsEveryProvisionedObjectOnceAsTheSeedAndReseedingJournalsNothing(Backend backend) {
        open(backend);
        List<Change.Entry> all = since(0);
        assertGapFree(all);
        List<Change.Entry> acme = all.stream().filter(e -> e.change().tenantKey().equals("acme")).toList();
        assertThat(acme).allSatisfy(e -> assertThat(e.change().caller()).isEqualTo(Caller.seed("acme")));
        Map<Row, Integer> counts = new LinkedHashMap<>();
        for (Change.Entry e : acme) counts.merge(new Row(e.change().objectKind(), e.change().op(), null), 1, Integer::sum);
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                new Row(ObjectKind.TENANT, Op.CREATE, null), 1,
                new Row(ObjectKind.DOMAIN, Op.CREATE, null), 2,
                new Row(ObjectKind.DEPARTMENT, Op.CREATE, null), 3,
                new Row(ObjectKind.APP, Op.CREATE, null), 4,
                new Row(ObjectKind.SERVICE_ACCOUNT, Op.CREATE, null), 2,
                new Row(ObjectKind.USER, Op.CREATE, null), 4,
                new Row(ObjectKind.USER_MAILBOX, Op.CREATE, null), 3));
        Change.Entry alice = acme.stream().filter(e -> e.change().objectKind() == ObjectKind.USER
                && e.change().objectId().equals("u100")).findFirst().orElseThrow();
        assertThat(alice.change().after()).isEqualTo(state("user_id", "u100", "open_id", "ou_100", "union_id", "on_100",
                "name", "Alice Liu", "departments", List.of("D100")));
        assertThat(alice.change().time()).isEqualTo(T0.toEpochMilli());

        // Secrets, tokens and their hashes never reach the journal.
        App app = store.read(r -> r.tenants().app("cli_full")).orElseThrow();
        String hash = store.read(r -> r.serviceAccounts().byName("acme", "provisioning")).orElseThrow().tokenHash();
        assertThat(all.toString()).doesNotContain("secret-full", app.secretHash(), "hbx_sa_acme_provisioning", hash);

        long last = directory.journal().lastSeq();
        assertThat(last).isEqualTo(all.size());
        new Seeder(directory.tenants()).apply(TestServers.contractSeed());
        assertThat(directory.journal().lastSeq()).isEqualTo(last);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void mailGroupWritesJournalTheirStateUnderTheirCallerAndANoOpChangeJournalsNothing(Backend backend) {
        open(backend);
        long start = directory.journal().lastSeq();
        MailGroup sales = directory.mailGroups().create(APP, new MailGroups.Fields("Sales@acme.test", "Sales", null, null));
        clock.advance(java.time.Duration.ofSeconds(5));
        directory.mailGroups().change(APP, sales.id(), new MailGroups.Fields(null, "Sales team", null,
                WhoCanSend.ALL_INTERNAL_USERS), false);
        directory.mailGroups().change(APP, sales.id(), new MailGroups.Fields(null, "Sales team", null, null), false);

        List<Change.Entry> entries = since(start);
        assertThat(rows(entries)).containsExactly(new Row(ObjectKind.MAIL_GROUP, Op.CREATE, sales.id()),
                new Row(ObjectKind.MAIL_GROUP, Op.UPDATE, sales.id()));
        Map<String, Object> created = state("id", sales.id(), "address", "sales@acme.test", "name", "Sales",
                "description", "", "who_can_send", "ANYONE");
        Map<String, Object> changed = state("id", sales.id(), "address", "sales@acme.test", "name", "Sales team",
                "description", "", "who_can_send", "ALL_INTERNAL_USERS");
        Change create = entries.get(0).change();
        assertThat(create.caller()).isEqualTo(APP);
        assertThat(create.tenantKey()).isEqualTo("acme");
        assertThat(create.time()).isEqualTo(T0.toEpochMilli());
        assertThat(create.before()).isNull();
        assertThat(create.after()).isEqualTo(created);
        Change update = entries.get(1).change();
        assertThat(update.time()).isEqualTo(T0.toEpochMilli() + 5000);
        assertThat(update.before()).isEqualTo(created);
        assertThat(update.after()).isEqualTo(changed);
        assertThat(entries.get(1).seq()).isEqualTo(entries.get(0).seq() + 1);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRefusedWriteJournalsNothing(Backend backend) {
        open(backend);
        MailGroup sales = directory.mailGroups().create(APP, new MailGroups.Fields("sales@acme.test", null, null, null));
        long before = directory.journal().lastSeq();
        assertThatThrownBy(() -> directory.mailGroups().create(APP, new MailGroups.Fields("alice@acme.test", null, null, null)))
                .isInstanceOf(DirectoryException.class);
        // The first member is valid and stored before the second is refused: the whole call rolls back.
        assertThatThrownBy(() -> directory.mailGroups().addMembers(APP, sales.id(), MemberList.MEMBERS, List.of(
                new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, "u100"), null, null),
                new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, "nobody"), null, null))))
                .isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> directory.mailboxes().aliases().add(APP, "alice@acme.test", "sales@acme.test"))
                .isInstanceOf(DirectoryException.class);
        assertThat(directory.journal().lastSeq()).isEqualTo(before);
        assertThat(since(before)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deletingAGroupJournalsItsAliasesTheEntriesNamingItElsewhereAndItself(Backend backend) {
        open(backend);
        MailGroups groups = directory.mailGroups();
        MailGroup sales = groups.create(APP, new MailGroups.Fields("sales@acme.test", null, null, null));
        MailGroup all = groups.create(APP, new MailGroups.Fields("all@acme.test", null, null, null));
        groups.aliases().add(APP, sales.id(), "team@acme.test");
        List<Member> added = groups.addMembers(APP, all.id(), MemberList.MEMBERS, List.of(
                new MemberSpec(MemberType.MAIL_GROUP, null, null, "sales@acme.test"),
                new MemberSpec(MemberType.OTHER_MEMBER, null, null, "team@acme.test")));
        Member groupMember = added.get(0);
        Member otherMember = added.get(1);
        long before = directory.journal().lastSeq();

        groups.delete(APP, sales.id());

        List<Change.Entry> entries = since(before);
        assertThat(rows(entries)).containsExactly(
                new Row(ObjectKind.MAIL_GROUP_ALIAS, Op.DELETE, "team@acme.test"),
                new Row(ObjectKind.MAIL_GROUP_MEMBER, Op.DELETE, otherMember.id()),
                new Row(ObjectKind.MAIL_GROUP_MEMBER, Op.DELETE, groupMember.id()),
                new Row(ObjectKind.MAIL_GROUP, Op.DELETE, sales.id()));
        assertThat(entries.get(0).change().before()).isEqualTo(state("address", "team@acme.test", "owner_id", sales.id(),
                "owner", "sales@acme.test", "catch_all", false));
        assertThat(entries.get(1).change().before()).isEqualTo(state("id", otherMember.id(), "mail_group_id", all.id(),
                "mail_group", "all@acme.test", "type", "OTHER_MEMBER", "user_id", null, "department_id", null,
                "address", "team@acme.test"));
        assertThat(entries.get(2).change().before()).containsEntry("type", "MAIL_GROUP")
                .containsEntry("address", "sales@acme.test");
        assertThat(entries.get(3).change().after()).isNull();
        assertThat(entries).allSatisfy(e -> assertThat(e.change().caller()).isEqualTo(APP));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void membersAndManagersJournalWhatChangedAndNothingForARepeat(Backend backend) {
        open(backend);
        MailGroups groups = directory.mailGroups();
        MailGroup sales = groups.create(APP, new MailGroups.Fields("sales@acme.test", null, null, null));
        long start = directory.journal().lastSeq();
        MemberSpec alice = new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, "u100"), null, null);
        Member member = groups.addMembers(APP, sales.id(), MemberList.MEMBERS, List.of(alice)).get(0);
        groups.addMembers(APP, sales.id(), MemberList.MEMBERS, List.of(alice));
        Member permission = groups.addMembers(APP, sales.id(), MemberList.PERMISSION_MEMBERS, List.of(alice)).get(0);
        UserRef bob = new UserRef(UserIdKind.USER_ID, "u200");
        groups.addManagers(APP, sales.id(), List.of(bob));
        groups.addManagers(APP, sales.id(), List.of(bob));
        groups.removeManagers(APP, sales.id(), List.of(bob));
        groups.removeMembers(APP, sales.id(), MemberList.MEMBERS, List.of(member.id()));

        List<Change.Entry> entries = since(start);
        assertThat(rows(entries)).containsExactly(
                new Row(ObjectKind.MAIL_GROUP_MEMBER, Op.CREATE, member.id()),
                new Row(ObjectKind.MAIL_GROUP_PERMISSION_MEMBER, Op.CREATE, permission.id()),
                new Row(ObjectKind.MAIL_GROUP_MANAGER, Op.CREATE, sales.id() + ":u200"),
                new Row(ObjectKind.MAIL_GROUP_MANAGER, Op.DELETE, sales.id() + ":u200"),
                new Row(ObjectKind.MAIL_GROUP_MEMBER, Op.DELETE, member.id()));
        Map<String, Object> aliceMember = state("id", member.id(), "mail_group_id", sales.id(), "mail_group",
                "sales@acme.test", "type", "USER", "user_id", "u100", "department_id", null, "address", null);
        assertThat(entries.get(0).change().after()).isEqualTo(aliceMember);
        assertThat(entries.get(4).change().before()).isEqualTo(aliceMember);
        assertThat(entries.get(2).change().after()).isEqualTo(state("mail_group_id", sales.id(), "mail_group",
                "sales@acme.test", "user_id", "u200"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aUserMailboxJournalsItsAliasItsRecyclingAndItsRelease(Backend backend) {
        open(backend);
        String aliceId = store.read(r -> r.mailboxes().find("acme", "alice@acme.test")).orElseThrow().id();
        long start = directory.journal().lastSeq();
        directory.mailboxes().aliases().add(APP, "alice@acme.test", "ali@acme.test");
        directory.mailboxes().moveToRecycleBin(APP, "alice@acme.test");
        directory.mailboxes().release(APP, "alice@acme.test", null);

        List<Change.Entry> entries = since(start);
        assertThat(rows(entries)).containsExactly(
                new Row(ObjectKind.USER_MAILBOX_ALIAS, Op.CREATE, "ali@acme.test"),
                new Row(ObjectKind.USER_MAILBOX, Op.RECYCLE, aliceId),
                new Row(ObjectKind.USER_MAILBOX_ALIAS, Op.DELETE, "ali@acme.test"),
                new Row(ObjectKind.USER_MAILBOX, Op.DELETE, aliceId));
        Map<String, Object> active = state("id", aliceId, "address", "alice@acme.test", "user_id", "u100",
                "first_name", "Alice", "last_name", "Liu", "status", "ACTIVE");
        Map<String, Object> recycled = new LinkedHashMap<>(active);
        recycled.put("status", "RECYCLED");
        assertThat(entries.get(1).change().before()).isEqualTo(active);
        assertThat(entries.get(1).change().after()).isEqualTo(recycled);
        assertThat(entries.get(3).change().before()).isEqualTo(recycled);
        assertThat(entries.get(3).change().after()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void renamingAPublicMailboxJournalsTheOldAddressAsANewAliasAndTheUpdate(Backend backend) {
        open(backend);
        PublicMailbox desk = directory.publicMailboxes().create(APP, new PublicMailboxes.Fields("desk@acme.test", "Desk", null), true);
        long start = directory.journal().lastSeq();
        directory.publicMailboxes().change(APP, desk.id(), new PublicMailboxes.Fields("help@acme.test", null, null), false);

        List<Change.Entry> entries = since(start);
        assertThat(rows(entries)).containsExactly(new Row(ObjectKind.PUBLIC_MAILBOX_ALIAS, Op.CREATE, "desk@acme.test"),
                new Row(ObjectKind.PUBLIC_MAILBOX, Op.UPDATE, desk.id()));
        assertThat(entries.get(1).change().before()).containsEntry("address", "desk@acme.test");
        assertThat(entries.get(1).change().after()).containsEntry("address", "help@acme.test");
        assertThat(store.read(r -> r.addresses().find("desk@acme.test")).orElseThrow().kind()).isEqualTo(AddressKind.PUBLIC_ALIAS);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void publicMailboxMembersRecyclingAndReleaseAreJournalled(Backend backend) {
        open(backend);
        PublicMailboxes boxes = directory.publicMailboxes();
        PublicMailbox desk = boxes.create(APP, new PublicMailboxes.Fields("desk@acme.test", "Desk", null), true);
        MailGroup all = directory.mailGroups().create(APP, new MailGroups.Fields("all@acme.test", null, null, null));
        Member inGroup = directory.mailGroups().addMembers(APP, all.id(), MemberList.MEMBERS,
                List.of(new MemberSpec(MemberType.PUBLIC_MAILBOX, null, null, "desk@acme.test"))).get(0);
        long start = directory.journal().lastSeq();
        List<PublicMailboxMember> members = boxes.addMembers(APP, desk.id(), List.of(
                new UserRef(UserIdKind.USER_ID, "u100"), new UserRef(UserIdKind.USER_ID, "u200")));
        boxes.addMembers(APP, desk.id(), List.of(new UserRef(UserIdKind.USER_ID, "u100")));
        boxes.removeMembers(APP, desk.id(), List.of(members.get(0).id()));
        boxes.clearMembers(APP, desk.id());
        boxes.moveToRecycleBin(APP, desk.id(), "alice@acme.test");
        boxes.release(APP, desk.id());

        List<Change.Entry> entries = since(start);
        assertThat(rows(entries)).containsExactly(
                new Row(ObjectKind.PUBLIC_MAILBOX_MEMBER, Op.CREATE, members.get(0).id()),
                new Row(ObjectKind.PUBLIC_MAILBOX_MEMBER, Op.CREATE, members.get(1).id()),
                new Row(ObjectKind.PUBLIC_MAILBOX_MEMBER, Op.DELETE, members.get(0).id()),
                new Row(ObjectKind.PUBLIC_MAILBOX_MEMBER, Op.DELETE, members.get(1).id()),
                new Row(ObjectKind.PUBLIC_MAILBOX, Op.RECYCLE, desk.id()),
                new Row(ObjectKind.MAIL_GROUP_MEMBER, Op.DELETE, inGroup.id()),
                new Row(ObjectKind.PUBLIC_MAILBOX, Op.DELETE, desk.id()));
        assertThat(entries.get(0).change().after()).isEqualTo(state("id", members.get(0).id(), "public_mailbox_id",
                desk.id(), "public_mailbox", "desk@acme.test", "user_id", "u100"));
        assertThat(entries.get(4).change().after()).containsEntry("status", "RECYCLED")
                .containsEntry("forward_to", "alice@acme.test");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void renamesJournalTheAddressesTheyMoveAndTheEntriesTheyDrop(Backend backend) {
        open(backend);
        PublicMailbox desk = directory.publicMailboxes().create(APP, new PublicMailboxes.Fields("desk@acme.test", "Desk", null), true);
        directory.publicMailboxes().aliases().add(APP, desk.id(), "help@acme.test");
        MailGroup sales = directory.mailGroups().create(APP, new MailGroups.Fields("sales@acme.test", null, null, null));
        MailGroup all = directory.mailGroups().create(APP, new MailGroups.Fields("all@acme.test", null, null, null));
        Member naming = directory.mailGroups().addMembers(APP, all.id(), MemberList.MEMBERS,
                List.of(new MemberSpec(MemberType.OTHER_MEMBER, null, null, "sales@acme.test"))).get(0);
        long start = directory.journal().lastSeq();
        // The public mailbox takes its own alias as its address: the two swap roles.
        directory.publicMailboxes().change(APP, desk.id(), new PublicMailboxes.Fields("help@acme.test", null, null), false);
        // The group's old address is freed, so the entry naming it goes too.
        directory.mailGroups().change(APP, sales.id(), new MailGroups.Fields("deals@acme.test", null, null, null), false);

        assertThat(rows(since(start))).containsExactly(
                new Row(ObjectKind.PUBLIC_MAILBOX_ALIAS, Op.DELETE, "help@acme.test"),
                new Row(ObjectKind.PUBLIC_MAILBOX_ALIAS, Op.CREATE, "desk@acme.test"),
                new Row(ObjectKind.PUBLIC_MAILBOX, Op.UPDATE, desk.id()),
                new Row(ObjectKind.MAIL_GROUP_MEMBER, Op.DELETE, naming.id()),
                new Row(ObjectKind.MAIL_GROUP, Op.UPDATE, sales.id()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void pausingResumingAndRenamingAMailboxJournalUpdatesAndRepeatsJournalNothing(Backend backend) {
        open(backend);
        String id = directory.mailboxes().create(ACCOUNT, "acme.test", new Mailboxes.NewMailbox("erin", "Erin", "Ng"))
                .mailbox().id();
        long start = directory.journal().lastSeq();
        directory.mailboxes().setActive(ACCOUNT, id, false);
        directory.mailboxes().setActive(ACCOUNT, id, false);
        directory.mailboxes().setActive(ACCOUNT, id, true);
        directory.mailboxes().update(ACCOUNT, id, "Erin", "Ngo");
        directory.mailboxes().update(ACCOUNT, id, "Erin", "Ngo");

        List<Change.Entry> entries = since(start);
        assertThat(rows(entries)).containsExactly(new Row(ObjectKind.USER_MAILBOX, Op.UPDATE, id),
                new Row(ObjectKind.USER_MAILBOX, Op.UPDATE, id), new Row(ObjectKind.USER_MAILBOX, Op.UPDATE, id));
        assertThat(entries.get(0).change().after()).containsEntry("status", "PAUSED");
        assertThat(entries.get(1).change().after()).containsEntry("status", "ACTIVE");
        assertThat(entries.get(2).change().before()).containsEntry("last_name", "Ng");
        assertThat(entries.get(2).change().after()).containsEntry("last_name", "Ngo");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bulkCreationJournalsEachCreatedMailboxAndNoFailedOne(Backend backend) {
        open(backend);
        long start = directory.journal().lastSeq();
        Mailboxes.BulkResult result = directory.mailboxes().bulkCreate(ACCOUNT, "acme.test", List.of(
                new Mailboxes.NewMailbox("erin", "Erin", "Ng"),
                new Mailboxes.NewMailbox("alice", "Taken", "Address"),
                new Mailboxes.NewMailbox("sam", "Sam", "Sales")));
        assertThat(result.created()).hasSize(2);

        List<Change.Entry> entries = since(start);
        List<String> ids = result.created().stream().map(c -> c.mailbox().mailbox().id()).toList();
        assertThat(rows(entries)).containsExactly(new Row(ObjectKind.USER_MAILBOX, Op.CREATE, ids.get(0)),
                new Row(ObjectKind.USER_MAILBOX, Op.CREATE, ids.get(1)));
        assertThat(entries.get(0).change().caller()).isEqualTo(ACCOUNT);
        assertThat(entries.get(0).change().after()).isEqualTo(state("id", ids.get(0), "address", "erin@acme.test",
                "user_id", null, "first_name", "Erin", "last_name", "Ng", "status", "ACTIVE"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void serviceAccountWritesJournalNoTokenNorItsHash(Backend backend) {
        open(backend);
        long start = directory.journal().lastSeq();
        Set<String> all = Set.copyOf(ServiceAccounts.CAPABILITIES);
        ServiceAccounts.Issued created = directory.serviceAccounts().create(ACCOUNT, all, "ci", null, List.of("mailbox.view"));
        ServiceAccounts.Issued rotated = directory.serviceAccounts().rotate(ACCOUNT, all, created.account().id());
        directory.serviceAccounts().revoke(ACCOUNT, all, created.account().id());

        List<Change.Entry> entries = since(start);
        String id = created.account().id();
        assertThat(rows(entries)).containsExactly(new Row(ObjectKind.SERVICE_ACCOUNT, Op.CREATE, id),
                new Row(ObjectKind.SERVICE_ACCOUNT, Op.UPDATE, id), new Row(ObjectKind.SERVICE_ACCOUNT, Op.UPDATE, id));
        assertThat(entries.toString()).doesNotContain(created.token(), rotated.token(),
                created.account().tokenHash(), rotated.account().tokenHash());
        assertThat(entries.get(2).change().after()).containsEntry("revoked_at", T0.toEpochMilli());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concurrentWritersProduceOneGapFreeSequenceWithEveryChangeOnce(Backend backend) throws Exception {
        open(backend);
        // On PostgreSQL the second directory is a second node: its own store and pool on the same database.
        Directory second = directory;
        if (backend == Backend.POSTGRESQL) {
            String url = TestServers.newPostgresDatabase();
            store.close();
            stores.clear();
            DirectoryStore node1 = SqlStore.openPostgres(url);
            DirectoryStore node2 = SqlStore.openPostgres(url);
            stores.add(node1);
            stores.add(node2);
            store = node1;
            directory = TestServers.seededDirectory(node1, clock);
            second = new Directory(node2, clock);
        }
        List<Callable<List<String>>> writers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            Directory node = w % 2 == 0 ? directory : second;
            String tenant = w % 4 < 2 ? "acme" : "globex";
            String domain = tenant + ".test";
            int writer = w;
            writers.add(() -> {
                Caller caller = new Caller(tenant, Caller.ActorKind.OPERATOR, "writer-" + writer, null);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ids.add(node.mailGroups().create(caller,
                            new MailGroups.Fields("g" + writer + "-" + i + "@" + domain, null, null, null)).id());
                }
                return ids;
            });
        }
        long seeded = directory.journal().lastSeq();
        List<String> created = Together.run(writers).stream().flatMap(List::stream).toList();

        List<Change.Entry> all = since(0);
        assertGapFree(all);
        assertThat(all).hasSize((int) seeded + 80);
        List<String> journalled = all.subList((int) seeded, all.size()).stream()
                .map(e -> e.change().objectId()).toList();
        assertThat(new HashSet<>(journalled)).hasSize(80).isEqualTo(new HashSet<>(created));
        assertThat(second.journal().after(0, 10_000)).extracting(Change.Entry::seq)
                .containsExactlyElementsOf(all.stream().map(Change.Entry::seq).toList());
    }

    @Test
    void aReadCannotJournal() {
        open(Backend.SQLITE);
        Change change = new Change(APP, 1, ObjectKind.TENANT, "acme", Op.UPDATE, Map.of(), Map.of());
        assertThatThrownBy(() -> store.read(r -> {
            r.journal().append(change);
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("read transaction");
    }
}
