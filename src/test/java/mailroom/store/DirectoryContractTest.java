package mailroom.store;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Page;
import mailroom.directory.PageRequest;
import mailroom.directory.Reason;
import mailroom.directory.access.App;
import mailroom.directory.address.AddressEntry;
import mailroom.directory.address.AddressKind;
import mailroom.directory.address.Alias;
import mailroom.directory.mailbox.UserMailbox;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.seed.Seeder;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory's rules checked through a real store: every concrete subclass runs this same suite on
 * its database, so SQLite and PostgreSQL must agree on every answer and every stored row.
 */
abstract class DirectoryContractTest {
    @TempDir
    Path tempDir;

    DirectoryStore store;
    Directory directory;
    MailGroups groups;

    /** A fresh, empty, migrated store of the backend under test. */
    abstract DirectoryStore openStore(Path tempDir);

    @BeforeEach
    void openAndSeed() {
        store = openStore(tempDir);
        directory = TestServers.seededDirectory(store, TestClock.ticking(Instant.parse("2025-01-01T00:00:00Z")));
        groups = directory.mailGroups();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    // ---- helpers ----

    /** Reads stored rows directly, to check what a refused or cascading call really left behind. */
    <T> T stored(java.util.function.Function<mailroom.directory.Records, T> query) {
        return store.read(query);
    }

    static DirectoryException refused(ThrowingCallable call) {
        DirectoryException e = catchThrowableOfType(DirectoryException.class, call);
        assertThat(e).as("expected a DirectoryException").isNotNull();
        return e;
    }

    static Reason reasonOf(ThrowingCallable call) {
        return refused(call).reason();
    }

    MailGroup group(String tenant, String email) {
        return groups.create(as(tenant), new MailGroups.Fields(email, null, null, null));
    }

    static MemberSpec user(String userId) {
        return new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, userId), null, null);
    }

    static MemberSpec department(String departmentId) {
        return new MemberSpec(MemberType.DEPARTMENT, null, new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, departmentId), null);
    }

    static MemberSpec byEmail(MemberType type, String email) {
        return new MemberSpec(type, null, null, email);
    }

    List<Member> allMembers(String tenant, String group, MemberList list) {
        List<Member> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Member> page = groups.members(as(tenant), group, list, new PageRequest(cursor, 2));
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    List<MailGroup> allGroups(String tenant) {
        List<MailGroup> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<MailGroup> page = groups.list(as(tenant), null, new PageRequest(cursor, 3));
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    List<String> groupEmails(String tenant) {
        return allGroups(tenant).stream().map(MailGroup::email).toList();
    }

    List<String> groupAliases(String tenant, String group) {
        return groups.aliases().list(as(tenant), group).stream().map(Alias::emailAlias).toList();
    }

    List<String> userAliases(String tenant, String mailbox) {
        return directory.mailboxes().aliases().list(as(tenant), mailbox).stream().map(Alias::emailAlias).toList();
    }

    // ---- the address namespace ----

    @Test
    void aUsersLoginAccountCannotBecomeAGroupOrAnAlias() {
        MailGroup sales = group("acme", "sales@acme.test");

        assertThat(reasonOf(() -> group("acme", "alice@acme.test"))).isEqualTo(Reason.ADDRESS_IS_LOGIN_ACCOUNT);
        assertThat(reasonOf(() -> groups.aliases().add(as("acme"), sales.id(), "bob@acme.test")))
                .isEqualTo(Reason.ADDRESS_IS_LOGIN_ACCOUNT);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("acme"), "alice@acme.test", "carol@acme.test")))
                .isEqualTo(Reason.ADDRESS_IS_LOGIN_ACCOUNT);
        assertThat(reasonOf(() -> groups.change(as("acme"), sales.id(),
                new MailGroups.Fields("carol@acme.test", null, null, null), false)))
                .isEqualTo(Reason.ADDRESS_IS_LOGIN_ACCOUNT);
        assertThat(groupEmails("acme")).containsExactly("sales@acme.test");
        assertThat(groupAliases("acme", sales.id())).isEmpty();
        assertThat(groups.get(as("acme"), sales.id()).email()).isEqualTo("sales@acme.test");
    }

    @Test
    void anAliasClaimedAsAnAliasAgainIsAliasTakenAndAnythingElseIsAddressTaken() {
        MailGroup sales = group("acme", "sales@acme.test");
        MailGroup support = group("acme", "support@acme.test");
        groups.aliases().add(as("acme"), sales.id(), "team@acme.test");
        directory.mailboxes().aliases().add(as("acme"), "alice@acme.test", "ali@acme.test");

        // alias vs existing alias (a group's or a user's) → ALIAS_TAKEN
        assertThat(reasonOf(() -> groups.aliases().add(as("acme"), support.id(), "team@acme.test"))).isEqualTo(Reason.ALIAS_TAKEN);
        assertThat(reasonOf(() -> groups.aliases().add(as("acme"), sales.id(), "team@acme.test"))).isEqualTo(Reason.ALIAS_TAKEN);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("acme"), "bob@acme.test", "ali@acme.test")))
                .isEqualTo(Reason.ALIAS_TAKEN);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("acme"), "bob@acme.test", "team@acme.test")))
                .isEqualTo(Reason.ALIAS_TAKEN);
        // alias vs a group's own address → ADDRESS_TAKEN
        assertThat(reasonOf(() -> groups.aliases().add(as("acme"), support.id(), "sales@acme.test"))).isEqualTo(Reason.ADDRESS_TAKEN);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("acme"), "bob@acme.test", "support@acme.test")))
                .isEqualTo(Reason.ADDRESS_TAKEN);
        // group vs group, group vs alias → ADDRESS_TAKEN
        assertThat(reasonOf(() -> group("acme", "sales@acme.test"))).isEqualTo(Reason.ADDRESS_TAKEN);
        assertThat(reasonOf(() -> group("acme", "team@acme.test"))).isEqualTo(Reason.ADDRESS_TAKEN);
        assertThat(reasonOf(() -> group("acme", "ali@acme.test"))).isEqualTo(Reason.ADDRESS_TAKEN);
        assertThat(reasonOf(() -> groups.change(as("acme"), support.id(),
                new MailGroups.Fields("team@acme.test", null, null, null), false))).isEqualTo(Reason.ADDRESS_TAKEN);

        assertThat(groupEmails("acme")).containsExactly("sales@acme.test", "support@acme.test");
        assertThat(groupAliases("acme", sales.id())).containsExactly("team@acme.test");
        assertThat(groupAliases("acme", support.id())).isEmpty();
        assertThat(userAliases("acme", "alice@acme.test")).containsExactly("ali@acme.test");
        assertThat(userAliases("acme", "bob@acme.test")).isEmpty();
    }

    @Test
    void anAddressOutsideTheTenantsDomainsIsDomainNotFoundEvenWhenAnotherTenantOwnsTheDomain() {
        MailGroup sales = group("acme", "sales@acme.test");

        assertThat(reasonOf(() -> group("acme", "sales@nowhere.test"))).isEqualTo(Reason.DOMAIN_NOT_FOUND);
        assertThat(reasonOf(() -> group("acme", "sales@globex.test"))).isEqualTo(Reason.DOMAIN_NOT_FOUND);
        assertThat(reasonOf(() -> group("globex", "sales@acme.test"))).isEqualTo(Reason.DOMAIN_NOT_FOUND);
        assertThat(reasonOf(() -> groups.aliases().add(as("acme"), sales.id(), "team@globex.test"))).isEqualTo(Reason.DOMAIN_NOT_FOUND);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("acme"), "alice@acme.test", "a@sub.acme.test")))
                .isEqualTo(Reason.DOMAIN_NOT_FOUND);
        assertThat(reasonOf(() -> groups.change(as("acme"), sales.id(),
                new MailGroups.Fields("sales@tiny.test", null, null, null), false))).isEqualTo(Reason.DOMAIN_NOT_FOUND);

        assertThat(groupEmails("acme")).containsExactly("sales@acme.test");
        assertThat(groupEmails("globex")).isEmpty();
        assertThat(groupAliases("acme", sales.id())).isEmpty();
    }

    @Test
    void addressesAreNormalisedToLowerCaseSoCaseVariantsAreTheSameAddress() {
        MailGroup sales = group("acme", "  Sales@ACME.Test ");

        assertThat(sales.email()).isEqualTo("sales@acme.test");
        assertThat(groups.get(as("acme"), "SALES@acme.TEST").id()).isEqualTo(sales.id());
        assertThat(reasonOf(() -> group("acme", "sales@acme.test"))).isEqualTo(Reason.ADDRESS_TAKEN);
        assertThat(reasonOf(() -> group("acme", "Alice@Acme.Test"))).isEqualTo(Reason.ADDRESS_IS_LOGIN_ACCOUNT);
        assertThat(groups.aliases().add(as("acme"), sales.id(), "Team@Acme-Mail.TEST").emailAlias()).isEqualTo("team@acme-mail.test");
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("acme"), "ALICE@acme.test", "TEAM@acme-mail.test")))
                .isEqualTo(Reason.ALIAS_TAKEN);
        assertThat(directory.mailboxes().aliases().add(as("acme"), "ALICE@ACME.TEST", "A.Liu@Acme.Test"))
                .isEqualTo(new Alias("alice@acme.test", "a.liu@acme.test", false));
        assertThat(groupAliases("acme", sales.id())).containsExactly("team@acme-mail.test");
        assertThat(userAliases("acme", "alice@acme.test")).containsExactly("a.liu@acme.test");
    }

    @Test
    void invalidAddressesAreRefusedNamingTheFieldAndStoreNothing() {
        for (String bad : new String[]{null, "", "   ", "no-at-sign", "@acme.test", "sales@", "a@b@acme.test",
                "a..b@acme.test", ".a@acme.test", "a.@acme.test", "sp ace@acme.test", "ünï@acme.test",
                "x".repeat(65) + "@acme.test", "sales@acme", "sales@-acme.test", "sales@acme..test",
                "\u212Aate@acme.test", "sales@acme.tes\u0131"}) {
            DirectoryException e = refused(() -> group("acme", bad));
            assertThat(e.reason()).as("email %s", bad).isEqualTo(Reason.INVALID_ADDRESS);
            assertThat(e.field()).as("field for %s", bad).isEqualTo("address");
        }
        assertThat(group("acme", "x".repeat(64) + "@acme.test").email()).isEqualTo("x".repeat(64) + "@acme.test");
        MailGroup sales = group("acme", "o'brien+tag@acme.test");
        DirectoryException alias = refused(() -> groups.aliases().add(as("acme"), sales.id(), "not an address"));
        assertThat(alias.reason()).isEqualTo(Reason.INVALID_ADDRESS);
        assertThat(alias.field()).isEqualTo("alias");
        assertThat(groupEmails("acme")).containsExactly("x".repeat(64) + "@acme.test", "o'brien+tag@acme.test");
        assertThat(groupAliases("acme", sales.id())).isEmpty();
    }

    @Test
    void removingAnAliasDropsTheOtherMemberEntriesThatNameIt() {
        MailGroup team = group("acme", "team@acme.test");
        MailGroup all = group("acme", "all@acme.test");
        groups.aliases().add(as("acme"), team.id(), "crew@acme.test");
        groups.addMembers(as("acme"), all.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.OTHER_MEMBER, "crew@acme.test"), byEmail(MemberType.OTHER_MEMBER, "team@acme.test")));

        groups.aliases().remove(as("acme"), team.id(), "crew@acme.test");

        assertThat(allMembers("acme", all.id(), MemberList.MEMBERS)).extracting(Member::email).containsExactly("team@acme.test");
    }

    @Test
    void aNonAsciiReferenceNamesNothingEvenWhenLowerCasingWouldTurnItIntoAnExistingAddress() {
        MailGroup kate = group("acme", "kate@acme.test");
        groups.aliases().add(as("acme"), kate.id(), "kat@acme.test");
        String kelvin = "\u212A"; // KELVIN SIGN: lower-cases to an ASCII 'k'

        assertThat(reasonOf(() -> groups.get(as("acme"), kelvin + "ate@acme.test"))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(reasonOf(() -> groups.aliases().remove(as("acme"), kate.id(), kelvin + "at@acme.test")))
                .isEqualTo(Reason.ALIAS_NOT_FOUND);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().list(as("acme"), "c\u0430rol@acme.test")))
                .isEqualTo(Reason.USER_MAILBOX_NOT_FOUND);
        assertThat(groupAliases("acme", kate.id())).containsExactly("kat@acme.test");
    }

    @Test
    void theAddressTotalCountsEveryTenantsAddressesAndForgetsThoseOfADeletedGroup() {
        // the contract seed's users with an email: three in acme, one in globex, two in tiny
        assertThat(directory.addressLookup().total()).isEqualTo(6);
        MailGroup sales = group("acme", "sales@acme.test");
        groups.aliases().add(as("acme"), sales.id(), "team@acme.test");
        group("globex", "sales@globex.test");
        assertThat(directory.addressLookup().total()).isEqualTo(9);
        groups.delete(as("acme"), sales.id());
        assertThat(directory.addressLookup().total()).isEqualTo(7);
    }

    // ---- mail groups ----

    @Test
    void aCreatedGroupIsFoundByIdAndByAddressWithTheValuesGiven() {
        MailGroup created = groups.create(as("acme"), new MailGroups.Fields("sales@acme.test", "Sales", "All sales staff",
                WhoCanSend.ALL_INTERNAL_USERS));

        assertThat(created.id()).matches("[0-9a-z]{16}");
        MailGroup expected = new MailGroup(created.id(), "acme", "sales@acme.test", "Sales", "All sales staff",
                WhoCanSend.ALL_INTERNAL_USERS, 0, false, false);
        assertThat(created).isEqualTo(expected);
        assertThat(groups.get(as("acme"), created.id())).isEqualTo(expected);
        assertThat(groups.get(as("acme"), "sales@acme.test")).isEqualTo(expected);
        assertThat(group("acme", "plain@acme.test")).extracting(MailGroup::name, MailGroup::description,
                MailGroup::whoCanSendMail).containsExactly("", "", WhoCanSend.ANYONE);
    }

    @Test
    void aGroupIsInvisibleToOtherTenantsAndUnknownGroupsAreNotFound() {
        MailGroup sales = group("acme", "sales@acme.test");

        assertThat(reasonOf(() -> groups.get(as("globex"), sales.id()))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(reasonOf(() -> groups.get(as("globex"), "sales@acme.test"))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(reasonOf(() -> groups.delete(as("globex"), sales.id()))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(reasonOf(() -> groups.get(as("acme"), "nosuchgroup00000"))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(reasonOf(() -> groups.get(as("acme"), "nobody@acme.test"))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(reasonOf(() -> groups.aliases().add(as("acme"), "nosuchgroup00000", "x@acme.test")))
                .isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(groups.get(as("acme"), sales.id()).email()).isEqualTo("sales@acme.test");
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndPutClearsTheOmittedOnes() {
        MailGroup sales = groups.create(as("acme"), new MailGroups.Fields("sales@acme.test", "Sales", "Desc",
                WhoCanSend.ALL_GROUP_MEMBERS));

        MailGroup patched = groups.change(as("acme"), sales.id(), new MailGroups.Fields(null, "Sales Team", null, null), false);
        assertThat(patched).isEqualTo(new MailGroup(sales.id(), "acme", "sales@acme.test", "Sales Team", "Desc",
                WhoCanSend.ALL_GROUP_MEMBERS, 0, false, false));

        MailGroup put = groups.change(as("acme"), sales.id(), new MailGroups.Fields(null, "Only name", null, null), true);
        assertThat(put).isEqualTo(new MailGroup(sales.id(), "acme", "sales@acme.test", "Only name", "",
                WhoCanSend.ANYONE, 0, false, false));
        assertThat(groups.get(as("acme"), sales.id())).isEqualTo(put);
    }

    @Test
    void changingAGroupsAddressFreesTheOldAddressForAnyone() {
        MailGroup sales = group("acme", "sales@acme.test");
        groups.aliases().add(as("acme"), sales.id(), "team@acme.test");

        MailGroup moved = groups.change(as("acme"), sales.id(), new MailGroups.Fields("Revenue@acme.test", null, null, null), false);

        assertThat(moved.email()).isEqualTo("revenue@acme.test");
        assertThat(groups.get(as("acme"), "revenue@acme.test").id()).isEqualTo(sales.id());
        assertThat(reasonOf(() -> groups.get(as("acme"), "sales@acme.test"))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(groupAliases("acme", sales.id())).containsExactly("team@acme.test");
        assertThat(directory.mailboxes().aliases().add(as("acme"), "alice@acme.test", "sales@acme.test").emailAlias())
                .isEqualTo("sales@acme.test");
        assertThat(reasonOf(() -> group("acme", "revenue@acme.test"))).isEqualTo(Reason.ADDRESS_TAKEN);
        // changing to its own current address is no change at all
        assertThat(groups.change(as("acme"), sales.id(), new MailGroups.Fields("REVENUE@acme.test", null, null, null), false))
                .isEqualTo(moved);
        assertThat(groupEmails("acme")).containsExactly("revenue@acme.test");
    }

    @Test
    void deletingAGroupRemovesEverythingItOwnedAndEveryMembershipOfIt() {
        MailGroup doomed = group("acme", "doomed@acme.test");
        MailGroup parent = group("acme", "parent@acme.test");
        groups.aliases().add(as("acme"), doomed.id(), "doomed-alias@acme.test");
        groups.aliases().add(as("acme"), doomed.id(), "doomed-alias@acme-mail.test");
        groups.addMembers(as("acme"), doomed.id(), MemberList.MEMBERS,
                List.of(user("u100"), byEmail(MemberType.EXTERNAL_USER, "x@partner.test")));
        groups.addMembers(as("acme"), doomed.id(), MemberList.PERMISSION_MEMBERS, List.of(user("u200")));
        groups.addManagers(as("acme"), doomed.id(), List.of(new UserRef(UserIdKind.USER_ID, "u300")));
        groups.addMembers(as("acme"), parent.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.MAIL_GROUP, "doomed@acme.test"), user("u100"),
                        byEmail(MemberType.OTHER_MEMBER, "doomed-alias@acme-mail.test")));
        groups.addMembers(as("acme"), parent.id(), MemberList.PERMISSION_MEMBERS,
                List.of(byEmail(MemberType.MAIL_GROUP, "doomed@acme.test")));

        groups.delete(as("acme"), "DOOMED@acme.test");

        assertThat(reasonOf(() -> groups.get(as("acme"), doomed.id()))).isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(reasonOf(() -> groups.members(as("acme"), doomed.id(), MemberList.MEMBERS, new PageRequest(null, 10))))
                .isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(allMembers("acme", parent.id(), MemberList.MEMBERS)).extracting(Member::type)
                .containsExactly(MemberType.USER);
        assertThat(allMembers("acme", parent.id(), MemberList.PERMISSION_MEMBERS)).isEmpty();
        assertThat(groups.get(as("acme"), parent.id()).directMembersCount()).isEqualTo(1); // the OTHER_MEMBER naming its alias went too
        assertThat(groups.list(as("acme"), new UserRef(UserIdKind.USER_ID, "u300"), new PageRequest(null, 10)).items()).isEmpty();
        List<AddressEntry> left = stored(r -> r.addresses().findAll(List.of("doomed@acme.test", "doomed-alias@acme.test",
                "doomed-alias@acme-mail.test")));
        assertThat(left).isEmpty();

        // The address and the aliases can all be claimed again, and the new group starts empty.
        MailGroup reborn = group("acme", "doomed@acme.test");
        assertThat(reborn.id()).isNotEqualTo(doomed.id());
        assertThat(reborn.directMembersCount()).isZero();
        assertThat(groups.aliases().add(as("acme"), reborn.id(), "doomed-alias@acme.test").emailAlias()).isEqualTo("doomed-alias@acme.test");
        assertThat(group("acme", "doomed-alias@acme-mail.test").email()).isEqualTo("doomed-alias@acme-mail.test");
        assertThat(allMembers("acme", reborn.id(), MemberList.MEMBERS)).isEmpty();
        assertThat(allMembers("acme", reborn.id(), MemberList.PERMISSION_MEMBERS)).isEmpty();
        assertThat(groups.managers(as("acme"), reborn.id(), new PageRequest(null, 10)).items()).isEmpty();
        assertThat(allMembers("acme", parent.id(), MemberList.MEMBERS)).extracting(Member::type)
                .containsExactly(MemberType.USER);
        assertThat(groupEmails("acme")).containsExactly("parent@acme.test", "doomed@acme.test", "doomed-alias@acme-mail.test");
    }

    // ---- members ----

    @Test
    void membersOfEveryKindAreResolvedAndStored() {
        MailGroup sales = group("acme", "sales@acme.test");
        MailGroup other = group("acme", "other@acme.test");

        List<Member> added = groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(
                user("u100"), department("D110"), new MemberSpec(MemberType.COMPANY, null, null, null),
                byEmail(MemberType.EXTERNAL_USER, "Partner@Outside.test"), byEmail(MemberType.OTHER_MEMBER, "printer@acme-mail.test"),
                byEmail(MemberType.MAIL_GROUP, "OTHER@acme.test")));

        assertThat(added).extracting(Member::type).containsExactly(MemberType.USER, MemberType.DEPARTMENT,
                MemberType.COMPANY, MemberType.EXTERNAL_USER, MemberType.OTHER_MEMBER, MemberType.MAIL_GROUP);
        assertThat(added.get(0).user().userId()).isEqualTo("u100");
        assertThat(added.get(0).user().openId()).isEqualTo("ou_100");
        assertThat(added.get(1).department()).isEqualTo(new Department("acme", "D110", "od-110", "Sales North", "D100"));
        assertThat(added.get(2).email()).isNull();
        assertThat(added.get(3).email()).isEqualTo("partner@outside.test");
        assertThat(added.get(4).email()).isEqualTo("printer@acme-mail.test");
        assertThat(added.get(5).email()).isEqualTo("other@acme.test");
        assertThat(allMembers("acme", sales.id(), MemberList.MEMBERS)).isEqualTo(added);
        assertThat(groups.member(as("acme"), sales.id(), MemberList.MEMBERS, added.get(3).id())).isEqualTo(added.get(3));
        assertThat(groups.get(as("acme"), sales.id())).extracting(MailGroup::directMembersCount,
                MailGroup::includeExternalMember, MailGroup::includeAllCompanyMember).containsExactly(6L, true, true);
        assertThat(groups.get(as("acme"), other.id()).directMembersCount()).isZero();
    }

    @Test
    void unknownUsersAndDepartmentsAndMisplacedAddressesAreRefused() {
        MailGroup sales = group("acme", "sales@acme.test");

        assertThat(refused(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(user("u999")))))
                .extracting(DirectoryException::reason, DirectoryException::field).containsExactly(Reason.USER_NOT_FOUND, "user");
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(user("g100")))))
                .as("another tenant's user").isEqualTo(Reason.USER_NOT_FOUND);
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(department("D999")))))
                .isEqualTo(Reason.DEPARTMENT_NOT_FOUND);
        assertThat(refused(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.EXTERNAL_USER, "bob@acme.test")))))
                .extracting(DirectoryException::reason, DirectoryException::field).containsExactly(Reason.INVALID_ARGUMENT, "address");
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.OTHER_MEMBER, "someone@outside.test"))))).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.MAIL_GROUP, "nogroup@acme.test"))))).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(new MemberSpec(null, null, null, null))))).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), sales.id(), MemberList.PERMISSION_MEMBERS,
                List.of(new MemberSpec(MemberType.COMPANY, null, null, null))))).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), "nosuchgroup00000", MemberList.MEMBERS, List.of(user("u100")))))
                .isEqualTo(Reason.MAIL_GROUP_NOT_FOUND);
        assertThat(allMembers("acme", sales.id(), MemberList.MEMBERS)).isEmpty();
        assertThat(allMembers("acme", sales.id(), MemberList.PERMISSION_MEMBERS)).isEmpty();
    }

    @Test
    void aGroupCannotContainItselfDirectlyOrThroughOtherGroups() {
        MailGroup a = group("acme", "a@acme.test");
        MailGroup b = group("acme", "b@acme.test");
        MailGroup c = group("acme", "c@acme.test");
        groups.addMembers(as("acme"), a.id(), MemberList.MEMBERS, List.of(byEmail(MemberType.MAIL_GROUP, "b@acme.test")));
        groups.addMembers(as("acme"), b.id(), MemberList.MEMBERS, List.of(byEmail(MemberType.MAIL_GROUP, "c@acme.test")));

        assertThat(reasonOf(() -> groups.addMembers(as("acme"), a.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.MAIL_GROUP, "a@acme.test"))))).isEqualTo(Reason.MEMBER_CYCLE);
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), b.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.MAIL_GROUP, "a@acme.test"))))).isEqualTo(Reason.MEMBER_CYCLE);
        assertThat(reasonOf(() -> groups.addMembers(as("acme"), c.id(), MemberList.MEMBERS,
                List.of(user("u100"), byEmail(MemberType.MAIL_GROUP, "a@acme.test"))))).isEqualTo(Reason.MEMBER_CYCLE);

        assertThat(allMembers("acme", c.id(), MemberList.MEMBERS)).isEmpty();
        assertThat(allMembers("acme", a.id(), MemberList.MEMBERS)).extracting(Member::email).containsExactly("b@acme.test");
        // A diamond is not a cycle, and permission members may name any group.
        assertThat(groups.addMembers(as("acme"), a.id(), MemberList.MEMBERS, List.of(byEmail(MemberType.MAIL_GROUP, "c@acme.test"))))
                .hasSize(1);
        assertThat(groups.addMembers(as("acme"), c.id(), MemberList.PERMISSION_MEMBERS,
                List.of(byEmail(MemberType.MAIL_GROUP, "a@acme.test")))).hasSize(1);
    }

    @Test
    void addingTheSameMemberAgainIsIdempotent() {
        MailGroup sales = group("acme", "sales@acme.test");
        Member first = groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(user("u100"))).get(0);

        Member again = groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(user("u100"))).get(0);
        List<Member> twice = groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(new MemberSpec(MemberType.USER, new UserRef(UserIdKind.OPEN_ID, "ou_100"), null, null), user("u100")));
        Member external = groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.EXTERNAL_USER, "x@partner.test"))).get(0);
        Member externalAgain = groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.EXTERNAL_USER, "X@Partner.test"))).get(0);

        assertThat(again).isEqualTo(first);
        assertThat(twice).containsExactly(first, first);
        assertThat(externalAgain).isEqualTo(external);
        assertThat(allMembers("acme", sales.id(), MemberList.MEMBERS)).containsExactly(first, external);
        assertThat(groups.get(as("acme"), sales.id()).directMembersCount()).isEqualTo(2);
    }

    @Test
    void aBatchWithOneBadItemStoresNoMemberAtAll() {
        MailGroup sales = group("acme", "sales@acme.test");

        DirectoryException e = refused(() -> groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(user("u100"), department("D100"), user("nobody"))));
        DirectoryException perm = refused(() -> groups.addMembers(as("acme"), sales.id(), MemberList.PERMISSION_MEMBERS,
                List.of(user("u100"), byEmail(MemberType.EXTERNAL_USER, "x@partner.test"))));

        assertThat(e.reason()).isEqualTo(Reason.USER_NOT_FOUND);
        assertThat(e.field()).isEqualTo("members[2].user");
        assertThat(perm.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
        assertThat(perm.field()).isEqualTo("members[1].type");
        assertThat(allMembers("acme", sales.id(), MemberList.MEMBERS)).isEmpty();
        assertThat(allMembers("acme", sales.id(), MemberList.PERMISSION_MEMBERS)).isEmpty();
        assertThat(groups.get(as("acme"), sales.id()).directMembersCount()).isZero();
    }

    @Test
    void removingMembersIsAllOrNothing() {
        MailGroup sales = group("acme", "sales@acme.test");
        List<Member> added = groups.addMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(user("u100"), user("u200")));

        assertThat(reasonOf(() -> groups.removeMembers(as("acme"), sales.id(), MemberList.MEMBERS,
                List.of(added.get(0).id(), "nosuchmember")))).isEqualTo(Reason.MEMBER_NOT_FOUND);
        assertThat(reasonOf(() -> groups.removeMembers(as("acme"), sales.id(), MemberList.PERMISSION_MEMBERS,
                List.of(added.get(0).id())))).isEqualTo(Reason.PERMISSION_MEMBER_NOT_FOUND);
        assertThat(allMembers("acme", sales.id(), MemberList.MEMBERS)).isEqualTo(added);

        groups.removeMembers(as("acme"), sales.id(), MemberList.MEMBERS, List.of(added.get(0).id()));
        assertThat(allMembers("acme", sales.id(), MemberList.MEMBERS)).containsExactly(added.get(1));
        assertThat(reasonOf(() -> groups.member(as("acme"), sales.id(), MemberList.MEMBERS, added.get(0).id())))
                .isEqualTo(Reason.MEMBER_NOT_FOUND);
    }

    // ---- limits (tenant tiny: 2 groups, 3 members, 2 aliases per address) ----

    @Test
    void theTenantsMailGroupLimitRefusesOneMoreUntilOneIsDeleted() {
        MailGroup first = group("tiny", "one@tiny.test");
        group("tiny", "two@tiny.test");

        assertThat(reasonOf(() -> group("tiny", "three@tiny.test"))).isEqualTo(Reason.MAIL_GROUP_LIMIT_REACHED);
        assertThat(groupEmails("tiny")).containsExactly("one@tiny.test", "two@tiny.test");
        Optional<AddressEntry> three = stored(r -> r.addresses().find("three@tiny.test"));
        assertThat(three).isEmpty();

        groups.delete(as("tiny"), first.id());
        assertThat(group("tiny", "three@tiny.test").email()).isEqualTo("three@tiny.test");
        assertThat(groupEmails("tiny")).containsExactly("two@tiny.test", "three@tiny.test");
    }

    @Test
    void theMemberLimitRefusesTheMemberOverItAndTheWholeBatchThatWouldCrossIt() {
        MailGroup g = group("tiny", "g@tiny.test");

        assertThat(reasonOf(() -> groups.addMembers(as("tiny"), g.id(), MemberList.MEMBERS, List.of(user("t100"), user("t200"),
                byEmail(MemberType.EXTERNAL_USER, "a@x.test"), byEmail(MemberType.EXTERNAL_USER, "b@x.test")))))
                .isEqualTo(Reason.MEMBER_LIMIT_REACHED);
        assertThat(allMembers("tiny", g.id(), MemberList.MEMBERS)).isEmpty();

        List<Member> three = groups.addMembers(as("tiny"), g.id(), MemberList.MEMBERS,
                List.of(user("t100"), user("t200"), byEmail(MemberType.EXTERNAL_USER, "a@x.test")));
        assertThat(reasonOf(() -> groups.addMembers(as("tiny"), g.id(), MemberList.MEMBERS,
                List.of(byEmail(MemberType.EXTERNAL_USER, "b@x.test"))))).isEqualTo(Reason.MEMBER_LIMIT_REACHED);
        // re-adding a member already there does not grow the group, so it is still allowed at the limit
        assertThat(groups.addMembers(as("tiny"), g.id(), MemberList.MEMBERS, List.of(user("t200")))).containsExactly(three.get(1));
        assertThat(allMembers("tiny", g.id(), MemberList.MEMBERS)).isEqualTo(three);
        assertThat(groups.get(as("tiny"), g.id()).directMembersCount()).isEqualTo(3);
    }

    @Test
    void theAliasLimitCountsPerAddressForGroupsAndUserMailboxes() {
        MailGroup g = group("tiny", "g@tiny.test");
        groups.aliases().add(as("tiny"), g.id(), "g1@tiny.test");
        groups.aliases().add(as("tiny"), g.id(), "g2@tiny.test");
        directory.mailboxes().aliases().add(as("tiny"), "tom@tiny.test", "t1@tiny.test");
        directory.mailboxes().aliases().add(as("tiny"), "tom@tiny.test", "t2@tiny.test");

        assertThat(reasonOf(() -> groups.aliases().add(as("tiny"), g.id(), "g3@tiny.test"))).isEqualTo(Reason.ALIAS_LIMIT_REACHED);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("tiny"), "tom@tiny.test", "t3@tiny.test")))
                .isEqualTo(Reason.ALIAS_LIMIT_REACHED);
        assertThat(directory.mailboxes().aliases().add(as("tiny"), "tess@tiny.test", "tess1@tiny.test").emailAlias())
                .isEqualTo("tess1@tiny.test");
        assertThat(groupAliases("tiny", g.id())).containsExactly("g1@tiny.test", "g2@tiny.test");
        assertThat(userAliases("tiny", "tom@tiny.test")).containsExactly("t1@tiny.test", "t2@tiny.test");

        groups.aliases().remove(as("tiny"), g.id(), "G1@tiny.test");
        assertThat(groups.aliases().add(as("tiny"), g.id(), "g3@tiny.test").emailAlias()).isEqualTo("g3@tiny.test");
        assertThat(groupAliases("tiny", g.id())).containsExactly("g2@tiny.test", "g3@tiny.test");
    }

    @Test
    void removingAnAliasThatIsNotTheOwnersIsAliasNotFound() {
        MailGroup sales = group("acme", "sales@acme.test");
        MailGroup support = group("acme", "support@acme.test");
        groups.aliases().add(as("acme"), sales.id(), "team@acme.test");

        assertThat(reasonOf(() -> groups.aliases().remove(as("acme"), support.id(), "team@acme.test"))).isEqualTo(Reason.ALIAS_NOT_FOUND);
        assertThat(reasonOf(() -> groups.aliases().remove(as("acme"), sales.id(), "sales@acme.test"))).isEqualTo(Reason.ALIAS_NOT_FOUND);
        assertThat(reasonOf(() -> groups.aliases().remove(as("acme"), sales.id(), "never@acme.test"))).isEqualTo(Reason.ALIAS_NOT_FOUND);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().remove(as("acme"), "alice@acme.test", "team@acme.test")))
                .isEqualTo(Reason.ALIAS_NOT_FOUND);
        assertThat(reasonOf(() -> directory.mailboxes().aliases().add(as("acme"), "nobody@acme.test", "x@acme.test")))
                .isEqualTo(Reason.USER_MAILBOX_NOT_FOUND);
        assertThat(groupAliases("acme", sales.id())).containsExactly("team@acme.test");

        groups.aliases().remove(as("acme"), sales.id(), "team@acme.test");
        assertThat(groupAliases("acme", sales.id())).isEmpty();
        assertThat(group("acme", "team@acme.test").email()).isEqualTo("team@acme.test");
    }

    // ---- paging ----

    @Test
    void pagingContinuesFromTheCursorAndTheLastPageHasNoCursor() {
        List<String> created = new ArrayList<>();
        for (int i = 1; i <= 5; i++) created.add(group("acme", "g" + i + "@acme.test").email());

        Page<MailGroup> first = groups.list(as("acme"), null, new PageRequest(null, 2));
        Page<MailGroup> second = groups.list(as("acme"), null, new PageRequest(first.nextCursor(), 2));
        Page<MailGroup> third = groups.list(as("acme"), null, new PageRequest(second.nextCursor(), 2));

        assertThat(first.items()).extracting(MailGroup::email).containsExactly("g1@acme.test", "g2@acme.test");
        assertThat(second.items()).extracting(MailGroup::email).containsExactly("g3@acme.test", "g4@acme.test");
        assertThat(third.items()).extracting(MailGroup::email).containsExactly("g5@acme.test");
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.nextCursor()).isNotNull().isNotEqualTo(first.nextCursor());
        assertThat(third.nextCursor()).isNull();
        assertThat(groupEmails("acme")).isEqualTo(created);
    }

    @Test
    void aPageThatEndsExactlyAtTheLastItemHasNoCursor() {
        group("acme", "g1@acme.test");
        group("acme", "g2@acme.test");
        MailGroup g = group("acme", "g3@acme.test");
        groups.addMembers(as("acme"), g.id(), MemberList.MEMBERS, List.of(user("u100"), user("u200")));

        Page<MailGroup> all = groups.list(as("acme"), null, new PageRequest(null, 3));
        Page<Member> members = groups.members(as("acme"), g.id(), MemberList.MEMBERS, new PageRequest(null, 2));
        Page<MailGroup> empty = groups.list(as("globex"), null, new PageRequest(null, 3));

        assertThat(all.items()).hasSize(3);
        assertThat(all.nextCursor()).isNull();
        assertThat(members.items()).extracting(m -> m.user().userId()).containsExactly("u100", "u200");
        assertThat(members.nextCursor()).isNull();
        assertThat(empty).isEqualTo(new Page<MailGroup>(List.of(), null));
    }

    @Test
    void listingByManagerShowsOnlyTheGroupsThatUserManages() {
        MailGroup a = group("acme", "a@acme.test");
        group("acme", "b@acme.test");
        MailGroup c = group("acme", "c@acme.test");
        groups.addManagers(as("acme"), a.id(), List.of(new UserRef(UserIdKind.USER_ID, "u100")));
        groups.addManagers(as("acme"), c.id(), List.of(new UserRef(UserIdKind.OPEN_ID, "ou_100"),
                new UserRef(UserIdKind.USER_ID, "u100")));

        assertThat(groups.list(as("acme"), new UserRef(UserIdKind.USER_ID, "u100"), new PageRequest(null, 10)).items())
                .extracting(MailGroup::email).containsExactly("a@acme.test", "c@acme.test");
        assertThat(groups.list(as("acme"), new UserRef(UserIdKind.USER_ID, "u999"), new PageRequest(null, 10)).items()).isEmpty();
        assertThat(groups.managers(as("acme"), c.id(), new PageRequest(null, 10)).items()).extracting(User::userId)
                .containsExactly("u100");
        assertThat(reasonOf(() -> groups.addManagers(as("acme"), a.id(), List.of(new UserRef(UserIdKind.USER_ID, "u999")))))
                .isEqualTo(Reason.USER_NOT_FOUND);
    }

    // ---- seed provisioning ----

    @Test
    void provisioningTheSameSeedAgainChangesNothing() {
        MailGroup sales = group("acme", "sales@acme.test");
        directory.mailboxes().aliases().add(as("acme"), "alice@acme.test", "ali@acme.test");
        Map<String, Object> before = snapshot();

        new Seeder(directory.tenants()).apply(TestServers.contractSeed());
        Map<String, Object> after = snapshot();

        assertThat(after).isEqualTo(before);
        assertThat(directory.tenants().app("cli_full").orElseThrow().secretHash())
                .isEqualTo(((App) before.get("app cli_full")).secretHash()).startsWith("pbkdf2$");
        assertThat(groups.get(as("acme"), sales.id())).isEqualTo(sales);
    }

    @Test
    void reapplyingTheSeedRestoresAReleasedSeedMailboxButSkipsOneWhoseAddressWasReused() {
        directory.mailboxes().moveToRecycleBin(as("acme"), "bob@acme.test");
        directory.mailboxes().release(as("acme"), "bob@acme.test", null);
        directory.mailboxes().moveToRecycleBin(as("acme"), "carol@acme.test");
        directory.mailboxes().release(as("acme"), "carol@acme.test", null);
        group("acme", "carol@acme.test");

        new Seeder(directory.tenants()).apply(TestServers.contractSeed());

        assertThat(stored(r -> r.addresses().find("bob@acme.test")).orElseThrow().kind()).isEqualTo(AddressKind.USER_MAILBOX);
        assertThat(stored(r -> r.addresses().find("carol@acme.test")).orElseThrow().kind()).isEqualTo(AddressKind.MAIL_GROUP);
        var notes = directory.tenants().provision(mailroom.directory.Caller.seed("acme"),
                mailroom.seed.Seeder.specOf(TestServers.contractSeed().tenants().get(0)));
        assertThat(notes).containsExactly("user u300 of tenant acme gets no mailbox: carol@acme.test already belongs to a MAIL_GROUP");
    }

    @Test
    void theSeedProvisionsTenantsDomainsUsersMailboxesAndApps() {
        Tenant tiny = directory.tenants().find("tiny").orElseThrow();
        assertThat(tiny.limits()).isEqualTo(new Limits(2, 2, 3, 2, 1, 5));
        assertThat(directory.tenants().find("acme").orElseThrow().geo()).isEqualTo(new GeoPolicy(true, List.of("cn", "sg", "us"), "cn"));
        assertThat(directory.tenants().domains("acme")).extracting(Domain::name).containsExactlyInAnyOrder("acme.test", "acme-mail.test");
        assertThat(directory.tenants().user("acme", new UserRef(UserIdKind.OPEN_ID, "ou_200")).orElseThrow().name()).isEqualTo("Bob Chen");
        App full = directory.tenants().app("cli_full").orElseThrow();
        assertThat(full.tenantKey()).isEqualTo("acme");
        assertThat(full.secretHash()).doesNotContain("secret-full");
        assertThat(mailroom.directory.access.Secrets.verifyPassword("secret-full", full.secretHash())).isTrue();
        AddressEntry alice = stored(r -> r.addresses().find("alice@acme.test")).orElseThrow();
        long mailboxes = stored(r -> r.mailboxes().count("acme", null, null));
        List<mailroom.directory.access.ServiceAccount> accounts = stored(r -> r.serviceAccounts().list("acme", true));
        assertThat(alice.kind()).isEqualTo(AddressKind.USER_MAILBOX);
        assertThat(mailboxes).isEqualTo(3);
        assertThat(accounts).extracting(mailroom.directory.access.ServiceAccount::name)
                .containsExactlyInAnyOrder("provisioning", "viewer");
    }

    /** Everything a seed touches, read back through the store's own listings. */
    private Map<String, Object> snapshot() {
        return store.read(r -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Tenant t : r.tenants().allTenants()) {
                out.put("tenant " + t.key(), t);
                out.put("domains " + t.key(), r.tenants().domainsOf(t.key()));
                out.put("mailboxes " + t.key(), r.mailboxes().list(t.key(), null, null, 0, 1000));
                out.put("service accounts " + t.key(), r.serviceAccounts().list(t.key(), true));
                out.put("groups " + t.key(), r.mailGroups().list(t.key(), null, new PageRequest(null, 1000)));
                for (String dept : List.of("D100", "D110", "D200")) {
                    out.put("department " + t.key() + " " + dept,
                            r.tenants().department(t.key(), new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, dept)));
                    out.put("users in " + t.key() + " " + dept, r.tenants().usersInDepartmentTree(t.key(), dept));
                }
                for (UserMailbox box : r.mailboxes().list(t.key(), null, null, 0, 1000)) {
                    out.put("address " + box.email(), r.addresses().find(box.email()));
                    out.put("aliases " + box.email(), r.addresses().aliasesOf(box.id()));
                    out.put("user of " + box.email(), box.userRef() == null ? null : r.tenants().userById(box.userRef()));
                }
            }
            for (String app : List.of("cli_full", "cli_readonly", "cli_noscope", "cli_nogeo", "cli_globex", "cli_tiny")) {
                out.put("app " + app, r.tenants().app(app).orElseThrow());
            }
            return out;
        });
    }
}
