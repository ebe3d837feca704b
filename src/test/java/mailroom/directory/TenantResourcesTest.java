package mailroom.directory;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.publicmailbox.PublicMailbox;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.Departments.DepartmentChange;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.seed.Seeder;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Domains, departments and apps as the operator door and the seed change them, through a real store of each
 * backend: what a refusal counts, what goes with a deleted department, and that a seed is held to the same rules.
 */
class TenantResourcesTest {
    private static Directory open(DirectoryStore store) {
        return TestServers.seededDirectory(store, TestClock.ticking(Instant.parse("2025-01-01T00:00:00Z")));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDomainIsKeptWhileAnyKindOfAddressIsAtItAndTheRefusalCountsThemByKind(Backend backend) {
        try (DirectoryStore store = TestServers.openStore(backend)) {
            Directory d = open(store);
            Caller acme = as("acme");
            d.tenantLifecycle().addDomain(acme, "acme", "ops.acme.test");
            d.mailboxes().create(acme, "ops.acme.test", new Mailboxes.NewMailbox("desk", "Help", "Desk"));
            d.mailboxes().addAlias(acme, "desk@ops.acme.test", "helpdesk@ops.acme.test", false);
            d.mailboxes().addAlias(acme, "desk@ops.acme.test", "anything@ops.acme.test", true);
            PublicMailbox box = d.publicMailboxes().create(acme, new PublicMailboxes.Fields("shared@ops.acme.test", "Shared", null), false);
            d.publicMailboxes().aliases().add(acme, box.id(), "shared-too@ops.acme.test");
            MailGroup group = d.mailGroups().create(acme, new MailGroups.Fields("team@ops.acme.test", null, null, null));
            d.mailGroups().aliases().add(acme, group.id(), "crew@ops.acme.test");
            long before = d.journal().lastSeq();

            DirectoryException refused = catchThrowableOfType(DirectoryException.class,
                    () -> d.tenantLifecycle().removeDomain(acme, "acme", "OPS.acme.test"));
            assertThat(refused.reason()).isEqualTo(Reason.IN_USE);
            assertThat(refused).hasMessage("domain ops.acme.test is in use by 7 addresses (1 user mailbox, 1 user mailbox alias,"
                    + " 1 public mailbox, 1 public mailbox alias, 1 mail group, 1 mail group alias, 1 catch-all); remove or move them first");
            assertThat(d.journal().lastSeq()).isEqualTo(before);

            d.mailGroups().delete(acme, group.id());
            d.publicMailboxes().moveToRecycleBin(acme, box.id(), null);
            d.mailboxes().removeAlias(acme, "desk@ops.acme.test", "helpdesk@ops.acme.test");
            assertThat(catchThrowableOfType(DirectoryException.class, () -> d.tenantLifecycle().removeDomain(acme, "acme", "ops.acme.test")))
                    .as("a public mailbox in the recycle bin still holds its address")
                    .hasMessage("domain ops.acme.test is in use by 4 addresses (1 user mailbox, 1 public mailbox, 1 public mailbox alias,"
                            + " 1 catch-all); remove or move them first");

            d.publicMailboxes().release(acme, box.id());
            d.mailboxes().moveToRecycleBin(acme, "desk@ops.acme.test");
            d.mailboxes().release(acme, "desk@ops.acme.test", null);
            before = d.journal().lastSeq();
            d.tenantLifecycle().removeDomain(acme, "acme", "ops.acme.test");
            assertThat(d.tenantLifecycle().domains("acme")).extracting(Domain::name).containsExactly("acme-mail.test", "acme.test");
            List<Change.Entry> journalled = d.journal().after(before, 10);
            assertThat(journalled).hasSize(1);
            assertThat(journalled.get(0).change().objectKind()).isEqualTo(ObjectKind.DOMAIN);
            assertThat(journalled.get(0).change().op()).isEqualTo(Change.Op.DELETE);
            assertThat(journalled.get(0).change().before()).containsEntry("name", "ops.acme.test");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDeletedDepartmentTakesTheMemberRowsNamingItInItsOwnTenantAlong(Backend backend) {
        try (DirectoryStore store = TestServers.openStore(backend)) {
            Directory d = open(store);
            MemberSpec d300 = new MemberSpec(MemberType.DEPARTMENT, null, new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, "D300"), null);
            String acmeGroup = null;
            String globexGroup = null;
            for (String tenant : List.of("acme", "globex")) {
                d.departments().create(as(tenant), "D300", null, "Support", null);
                MailGroup group = d.mailGroups().create(as(tenant), new MailGroups.Fields("support@" + tenant + ".test", null, null, null));
                d.mailGroups().addMembers(as(tenant), group.id(), MemberList.MEMBERS, List.of(d300));
                d.mailGroups().addMembers(as(tenant), group.id(), MemberList.PERMISSION_MEMBERS, List.of(d300));
                if (tenant.equals("acme")) acmeGroup = group.id();
                else globexGroup = group.id();
            }
            long before = d.journal().lastSeq();

            d.departments().delete(as("acme"), "D300");

            assertThat(members(d, "acme", acmeGroup, MemberList.MEMBERS)).isEmpty();
            assertThat(members(d, "acme", acmeGroup, MemberList.PERMISSION_MEMBERS)).isEmpty();
            assertThat(members(d, "globex", globexGroup, MemberList.MEMBERS)).extracting(Member::type).containsExactly(MemberType.DEPARTMENT);
            assertThat(members(d, "globex", globexGroup, MemberList.PERMISSION_MEMBERS)).hasSize(1);
            assertThat(d.departments().list("globex")).extracting(Department::departmentId).containsExactly("D300");
            assertThat(d.journal().after(before, 10)).extracting(e -> e.change().objectKind() + " " + e.change().op())
                    .containsExactly("MAIL_GROUP_MEMBER DELETE", "MAIL_GROUP_PERMISSION_MEMBER DELETE", "DEPARTMENT DELETE");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDepartmentMovedBelowItsOwnDescendantIsRefusedAndNothingChanges(Backend backend) {
        try (DirectoryStore store = TestServers.openStore(backend)) {
            Directory d = open(store);
            long before = d.journal().lastSeq();
            DirectoryException refused = catchThrowableOfType(DirectoryException.class, () -> d.departments().update(as("acme"), "D100",
                    new DepartmentChange("Sales & Marketing", null, Optional.of("D110"))));
            assertThat(refused.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
            assertThat(refused.field()).isEqualTo("parent");
            assertThat(d.departments().get("acme", "D100")).isEqualTo(new Department("acme", "D100", "od-100", "Sales", null));
            assertThat(d.journal().lastSeq()).isEqualTo(before);

            Department moved = d.departments().update(as("acme"), "D110", new DepartmentChange(null, null, Optional.of("D200")));
            assertThat(moved).isEqualTo(new Department("acme", "D110", "od-110", "Sales North", "D200"));
            assertThat(d.departments().update(as("acme"), "D110", new DepartmentChange(null, null, Optional.of("D200")))).isEqualTo(moved);
            assertThat(d.journal().after(before, 10)).as("an unchanged patch journals nothing").hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSeedIsHeldToTheOperatorDoorsRulesNamingTheEntryThatBreaksOne(Backend backend) {
        try (DirectoryStore store = TestServers.openStore(backend)) {
            Directory d = open(store);
            Tenant acme = d.tenants().find("acme").orElseThrow();
            Tenant noAccount = new Tenant("acme", acme.name(), acme.geo(), acme.limits(), null, 0, 0);
            long before = d.journal().lastSeq();
            List<Department> orphan = List.of(new Department("acme", "D900", "od-900", "Far", "D901"));
            List<Department> cycle = List.of(new Department("acme", "D900", "od-900", "A", "D901"),
                    new Department("acme", "D901", "od-901", "B", "D900"));
            List<Department> takenOpenId = List.of(new Department("acme", "D900", "od-100", "Copy", null));

            assertThat(refusal(d, spec(acme, List.of("acme.test", "bad domain"), List.of(), List.of(), List.of())))
                    .isEqualTo("domains[1]: not a valid domain name: bad domain");
            assertThat(refusal(d, spec(acme, List.of("acme.test", "globex.test"), List.of(), List.of(), List.of())))
                    .isEqualTo("domains[1]: domain globex.test already belongs to another tenant");
            assertThat(refusal(d, spec(acme, List.of("acme.test"), orphan, List.of(), List.of())))
                    .isEqualTo("departments[0].parent: parent department D901 does not exist");
            assertThat(refusal(d, spec(acme, List.of("acme.test"), cycle, List.of(), List.of())))
                    .isEqualTo("departments[0].parent: department D900 cannot be below D901: D901 is below D900");
            assertThat(refusal(d, spec(acme, List.of("acme.test"), takenOpenId, List.of(), List.of())))
                    .isEqualTo("departments[0].open_department_id: open department id od-100 belongs to department D100");
            assertThat(refusal(d, spec(acme, List.of("acme.test"), List.of(), List.of(
                    new Tenants.AppSpec("cli_full", "secret-full", Set.of()), new Tenants.AppSpec("cli_globex", "x", Set.of())), List.of())))
                    .isEqualTo("apps[1].app_id: app id cli_globex already belongs to another tenant");
            assertThat(refusal(d, spec(acme, List.of("acme.test"), List.of(), List.of(new Tenants.AppSpec("cli full", "x", Set.of())), List.of())))
                    .startsWith("apps[0].app_id: an app id must be");
            assertThat(refusal(d, spec(acme, List.of("acme.test"), List.of(), List.of(),
                    List.of(new Tenants.ServiceAccountSpec("ci", "hbx_sa_ci", List.of("mailbox.fly"))))))
                    .isEqualTo("service_accounts[0].permissions: unknown capability mailbox.fly");
            assertThat(refusal(d, spec(noAccount, List.of("acme.test"), List.of(), List.of(),
                    List.of(new Tenants.ServiceAccountSpec("ci", "hbx_sa_ci", List.of("mailbox.view"))))))
                    .startsWith("service_accounts: tenant acme has no account id");
            assertThat(d.journal().lastSeq()).as("every refused seed changed nothing").isEqualTo(before);

            List<Department> laterParent = List.of(new Department("acme", "D901", "od-901", "Child", "D900"),
                    new Department("acme", "D900", "od-900", "Parent", null));
            d.tenants().provision(Caller.seed("acme"), spec(acme, List.of("acme.test"), laterParent, List.of(), List.of()));
            assertThat(d.departments().get("acme", "D901").parentDepartmentId()).as("a parent later in the seed is found").isEqualTo("D900");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSeedDoesNotUndoAnAppsRotationOrDeletionThroughTheOperatorDoor(Backend backend) {
        try (DirectoryStore store = TestServers.openStore(backend)) {
            Directory d = open(store);
            Seeder seeder = new Seeder(d.tenants());
            String rotated = d.apps().rotateSecret(as("acme"), "cli_full").secret();
            d.apps().delete(as("acme"), "cli_readonly");
            long before = d.journal().lastSeq();

            seeder.apply(TestServers.contractSeed());

            assertThat(d.journal().lastSeq()).as("the seed changed nothing").isEqualTo(before);
            String hash = d.tenants().app("cli_full").orElseThrow().secretHash();
            assertThat(mailroom.directory.access.Secrets.verifyPassword(rotated, hash)).isTrue();
            assertThat(mailroom.directory.access.Secrets.verifyPassword("secret-full", hash)).isFalse();
            assertThat(d.tenants().app("cli_readonly")).isEmpty();

            // A secret the seed's author changes on purpose (never rotated away) is still taken.
            var seed = TestServers.contractSeed();
            var acme = seed.tenants().get(0);
            var apps = new java.util.ArrayList<>(acme.apps());
            apps.set(0, new mailroom.seed.SeedFile.AppSeed("cli_full", "secret-chosen-anew", apps.get(0).scopes()));
            var changed = new mailroom.seed.SeedFile(List.of(withApps(acme, apps)));
            seeder.apply(changed);
            assertThat(mailroom.directory.access.Secrets.verifyPassword("secret-chosen-anew",
                    d.tenants().app("cli_full").orElseThrow().secretHash())).isTrue();
        }
    }

    private static mailroom.seed.SeedFile.TenantSeed withApps(mailroom.seed.SeedFile.TenantSeed t, List<mailroom.seed.SeedFile.AppSeed> apps) {
        return new mailroom.seed.SeedFile.TenantSeed(t.key(), t.name(), t.domains(), t.geo(), t.limits(), apps, t.departments(),
                t.users(), t.hybridbox(), t.rateLimits());
    }

    private static Tenants.TenantSpec spec(Tenant tenant, List<String> domains, List<Department> departments,
                                           List<Tenants.AppSpec> apps, List<Tenants.ServiceAccountSpec> accounts) {
        return new Tenants.TenantSpec(tenant, domains, departments, List.of(), apps, accounts);
    }

    private static String refusal(Directory d, Tenants.TenantSpec spec) {
        return catchThrowableOfType(DirectoryException.class, () -> d.tenants().provision(Caller.seed("acme"), spec)).getMessage();
    }

    private static List<Member> members(Directory d, String tenant, String group, MemberList list) {
        return d.mailGroups().members(as(tenant), group, list, new PageRequest(null, 100)).items();
    }
}
