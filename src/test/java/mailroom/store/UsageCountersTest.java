package mailroom.store;

import static mailroom.store.CountedRows.assertCountersMatchRows;
import static mailroom.store.CountedRows.rows;
import static mailroom.store.CountedRows.totals;
import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Reason;
import mailroom.directory.mailbox.MailboxStatus;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.seed.Seeder;
import mailroom.store.UsageCounters.Counted;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The usage counters that limit checks read: after any mix of writes each equals the COUNT(*) of the rows it
 * counts, and every limit stays exact under {@value #RACERS} racing writers, on both databases.
 */
class UsageCountersTest {
    static final int RACERS = 32;
    static final int STEPS = 800;
    /** Every limit of this tenant is {@value #LIMIT} but the user's; its one user already has a mailbox. */
    static final int LIMIT = 12;
    static final int PER_USER_LIMIT = 5;
    static final String RACE_SEED = """
            tenants:
              - key: race
                name: Race Ltd.
                domains: [race.test]
                limits: {public_mailboxes: 12, mail_groups: 12, mail_group_members: 12, aliases_per_address: 12,
                         public_mailboxes_per_user: 5, user_mailboxes: 12}
                users:
                  - {user_id: r100, open_id: ou_r100, union_id: on_r100, name: Rae Race, email: rae@race.test}
            """;

    @AutoClose
    DirectoryStore store;
    Directory directory;

    private void open(Backend backend) throws Exception {
        store = TestServers.openStore(backend);
        directory = TestServers.seededDirectory(store, Clock.systemUTC());
        new Seeder(directory.tenants()).apply(Seeder.read(new ByteArrayInputStream(RACE_SEED.getBytes(StandardCharsets.UTF_8))));
    }

    // ---- no drift ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyCounterEqualsItsRowsAfterEachOfManyRandomWrites(Backend backend) throws Exception {
        open(backend);
        long seed = Long.getLong("counters.seed", 7);
        RandomWrites writes = new RandomWrites(store, directory, seed);
        Deque<String> recent = new ArrayDeque<>();
        int refused = 0;
        Set<Counted> rose = EnumSet.noneOf(Counted.class);
        Set<Counted> fell = EnumSet.noneOf(Counted.class);
        Map<Counted, Long> before = totals(store);
        for (int step = 1; step <= STEPS; step++) {
            String what = writes.step();
            Map<Counted, Long> after = totals(store);
            for (Counted counted : Counted.values()) {
                if (after.get(counted) > before.get(counted)) rose.add(counted);
                if (after.get(counted) < before.get(counted)) fell.add(counted);
            }
            before = after;
            if (what.contains(": refused ")) refused++;
            recent.addLast(step + ". " + what);
            if (recent.size() > 8) recent.removeFirst();
            assertCountersMatchRows(store, "after step " + step + " (seed " + seed + "), the last steps:\n  "
                    + String.join("\n  ", recent) + "\n");
        }
        assertThat(refused).as("refused writes, whose rollback must take their counter changes with them")
                .isBetween(STEPS / 10, STEPS * 9 / 10);
        assertThat(rose).as("kinds whose counters went up").containsExactlyInAnyOrder(Counted.values());
        assertThat(fell).as("kinds whose counters went down").containsExactlyInAnyOrder(Counted.values());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyCounterEqualsItsRowsAfterRacingRandomWrites(Backend backend) throws Exception {
        open(backend);
        List<Callable<?>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            RandomWrites writes = new RandomWrites(store, directory, 1000 + w);
            writers.add(() -> {
                for (int i = 0; i < 40; i++) writes.step();
                return null;
            });
        }
        race(writers);
        assertCountersMatchRows(store, "after 8 writers made 40 random writes each at once");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void recordWritesThatNoOperationMakesYetKeepTheirCountersToo(Backend backend) throws Exception {
        open(backend);
        PublicMailboxes boxes = directory.publicMailboxes();
        String box = boxes.create(as("race"), new PublicMailboxes.Fields("shared@race.test", "", null), true).id();
        boxes.addMembers(as("race"), box, List.of(new UserRef(UserIdKind.USER_ID, "r100")));
        boxes.moveToRecycleBin(as("race"), box, null);
        String spare = directory.mailboxes().create(as("race"), "race.test", new Mailboxes.NewMailbox("spare", "S", "S"))
                .mailbox().id();
        store.write(r -> {
            PublicMailbox recycled = r.publicMailboxes().find("race", box).orElseThrow();
            r.publicMailboxes().update(new PublicMailbox(box, "race", recycled.email(), recycled.name(), recycled.geo(),
                    MailboxStatus.ACTIVE, null), 2);
            UserMailbox m = r.mailboxes().find("race", "rae@race.test").orElseThrow();
            r.mailboxes().update(status(m, MailboxStatus.RECYCLED));
            r.mailboxes().update(status(m, MailboxStatus.PAUSED));
            r.mailboxes().delete(spare);
            return null;
        });
        int bindings = store.read(r -> r.publicMailboxes().countMailboxesOfUser(
                r.tenants().user("race", new UserRef(UserIdKind.USER_ID, "r100")).orElseThrow().id()));
        long inService = store.read(r -> r.mailboxes().countInService("race"));
        assertThat(bindings)
                .as("the binding counts again once its mailbox is back in service").isEqualTo(1);
        assertThat(inService).as("Rae's mailbox, back in service").isEqualTo(1);
        assertCountersMatchRows(store, "after a public mailbox and a user mailbox left the recycle bin");
    }

    private static UserMailbox status(UserMailbox m, MailboxStatus status) {
        return new UserMailbox(m.id(), m.tenantKey(), m.email(), m.domainId(), m.domainName(), m.userRef(), m.firstName(),
                m.lastName(), status, m.quotaAllowed(), m.quotaUsed(), m.createdAt(), m.updatedAt());
    }

    // ---- exact limits under racing writers ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingGroupCreatesStopExactlyAtTheTenantsLimit(Backend backend) throws Exception {
        open(backend);
        List<Reason> results = race(i -> directory.mailGroups().create(as("race"),
                new MailGroups.Fields("g" + i + "@race.test", null, null, null)));
        assertWinners(results, LIMIT, Reason.MAIL_GROUP_LIMIT_REACHED);
        assertThat(rows(store, "mail_group", "tenant_key = 'race'")).isEqualTo(LIMIT);
        assertCountersMatchRows(store, "after racing group creates");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingBulkCreatesStopExactlyAtTheTenantsMailboxLimit(Backend backend) throws Exception {
        open(backend);
        Mailboxes mailboxes = directory.mailboxes();
        List<Integer> created = new ArrayList<>();
        race(i -> {
            var result = mailboxes.bulkCreate(as("race"), "race.test", List.of(new Mailboxes.NewMailbox("a" + i, "A", "A"),
                    new Mailboxes.NewMailbox("b" + i, "B", "B")));
            synchronized (created) {
                created.add(result.created().size());
            }
            return result;
        });
        assertThat(created.stream().mapToInt(Integer::intValue).sum()).as("created next to Rae's mailbox").isEqualTo(LIMIT - 1);
        assertThat(rows(store, "user_mailbox", "tenant_key = 'race' AND status <> 'RECYCLED'")).isEqualTo(LIMIT);
        assertCountersMatchRows(store, "after racing bulk creates");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMailboxInTheRecycleBinFreesItsPlaceForRacingCreates(Backend backend) throws Exception {
        open(backend);
        Mailboxes mailboxes = directory.mailboxes();
        for (int i = 0; i < LIMIT - 2; i++) mailboxes.create(as("race"), "race.test", new Mailboxes.NewMailbox("k" + i, "K", "K"));
        String recycled = mailboxes.create(as("race"), "race.test", new Mailboxes.NewMailbox("gone", "G", "G")).mailbox().id();
        mailboxes.delete(as("race"), recycled);
        List<Reason> results = race(i -> mailboxes.create(as("race"), "race.test", new Mailboxes.NewMailbox("r" + i, "R", "R")));
        assertWinners(results, 1, Reason.MAILBOX_LIMIT_REACHED);
        assertThat(rows(store, "user_mailbox", "tenant_key = 'race' AND status <> 'RECYCLED'")).isEqualTo(LIMIT);
        assertCountersMatchRows(store, "after racing creates next to the recycle bin");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingPublicMailboxCreatesStopExactlyAtTheTenantsLimit(Backend backend) throws Exception {
        open(backend);
        List<Reason> results = race(i -> directory.publicMailboxes().create(as("race"),
                new PublicMailboxes.Fields("p" + i + "@race.test", "", null), true));
        assertWinners(results, LIMIT, Reason.PUBLIC_MAILBOX_LIMIT_REACHED);
        assertThat(rows(store, "public_mailbox", "tenant_key = 'race'")).isEqualTo(LIMIT);
        assertCountersMatchRows(store, "after racing public mailbox creates");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingMemberAddsStopExactlyAtTheGroupsLimit(Backend backend) throws Exception {
        open(backend);
        MailGroups groups = directory.mailGroups();
        String group = groups.create(as("race"), new MailGroups.Fields("team@race.test", null, null, null)).id();
        List<Reason> results = race(i -> groups.addMembers(as("race"), group, MemberList.MEMBERS,
                List.of(new MemberSpec(MemberType.EXTERNAL_USER, null, null, "e" + i + "@elsewhere.test"))));
        assertWinners(results, LIMIT, Reason.MEMBER_LIMIT_REACHED);
        assertThat(rows(store, "mail_group_member", "mail_group_id = ?", group)).isEqualTo(LIMIT);
        assertThat(groups.get(as("race"), group).directMembersCount()).as("the count a client reads").isEqualTo(LIMIT);
        assertCountersMatchRows(store, "after racing member adds");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingAliasAddsStopExactlyAtTheMailboxsLimit(Backend backend) throws Exception {
        open(backend);
        Mailboxes mailboxes = directory.mailboxes();
        String rae = mailboxes.get(as("race"), "rae@race.test").mailbox().id();
        List<Reason> results = race(i -> mailboxes.addAlias(as("race"), rae, "alias" + i + "@race.test", false));
        assertWinners(results, LIMIT, Reason.ALIAS_LIMIT_REACHED);
        assertThat(rows(store, "address", "owner_id = ? AND kind = 'USER_ALIAS'", rae)).isEqualTo(LIMIT);
        assertCountersMatchRows(store, "after racing alias adds");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingBindingsOfOneUserStopExactlyAtTheUsersLimit(Backend backend) throws Exception {
        open(backend);
        PublicMailboxes boxes = directory.publicMailboxes();
        UserRef rae = new UserRef(UserIdKind.USER_ID, "r100");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            ids.add(boxes.create(as("race"), new PublicMailboxes.Fields("p" + i + "@race.test", "", null), true).id());
        }
        // Bound to a mailbox that then goes to the recycle bin: that binding no longer counts.
        boxes.addMembers(as("race"), ids.get(0), List.of(rae));
        boxes.moveToRecycleBin(as("race"), ids.get(0), null);
        List<String> inService = ids.subList(1, LIMIT);
        List<Reason> results = race(i -> boxes.addMembers(as("race"), inService.get(i % inService.size()), List.of(rae)));
        assertThat(results.stream().filter(r -> r != null)).as("refusals").isNotEmpty()
                .containsOnly(Reason.USER_PUBLIC_MAILBOX_LIMIT_REACHED);
        assertThat(rows(store, "public_mailbox_member m JOIN public_mailbox b ON b.id = m.public_mailbox_id",
                "b.status <> 'RECYCLED' AND m.person_id IN (SELECT id FROM person WHERE user_id = 'r100')"))
                .as("bindings to mailboxes in service").isEqualTo(PER_USER_LIMIT);
        assertCountersMatchRows(store, "after racing bindings");
    }

    // ---- helpers ----

    private static void assertWinners(List<Reason> results, int winners, Reason refusal) {
        assertThat(results.stream().filter(r -> r == null).count()).as("writes that succeeded").isEqualTo(winners);
        assertThat(results.stream().filter(r -> r != null)).as("the others' refusals").containsOnly(refusal);
    }

    /** {@value #RACERS} calls at once; per call, null for success or the refusal's reason. */
    private static List<Reason> race(IntFunction<Object> call) throws Exception {
        List<Callable<?>> calls = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            int n = i;
            calls.add(() -> call.apply(n));
        }
        return race(calls);
    }

    private static List<Reason> race(List<Callable<?>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reason>> futures = new ArrayList<>();
            for (Callable<?> call : calls) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        call.call();
                        return null;
                    } catch (DirectoryException e) {
                        return e.reason();
                    }
                }));
            }
            go.countDown();
            List<Reason> out = new ArrayList<>();
            for (Future<Reason> f : futures) out.add(f.get(120, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
