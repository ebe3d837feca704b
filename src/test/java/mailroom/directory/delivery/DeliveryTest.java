package mailroom.directory.delivery;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import mailroom.directory.Caller;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Records;
import mailroom.directory.delivery.AliasAnswer.Kind;
import mailroom.directory.delivery.SendDecision.Verdict;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.store.SqlStore;
import mailroom.testing.ForwardingStore;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The directory's answers to a mail system, on SQLite and PostgreSQL, over the contract seed (Alice u100
 * in D100, Bob u200 in D110 below D100, Carol u300 in D200, Dan u400 without a mailbox): address
 * resolution with extensions and catch-alls, group expansion member type by member type, senders, and
 * every send rule.
 */
class DeliveryTest {
    private static final Caller ACME = as("acme");
    private static final DeliveryRules RULES = DeliveryRules.DEFAULTS;

    private DirectoryStore store;
    private Directory directory;
    private Delivery delivery;

    private void open(Backend backend) {
        store = TestServers.openStore(backend);
        directory = TestServers.seededDirectory(store, Clock.systemUTC());
        delivery = directory.delivery();
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    // ---- helpers: everything is provisioned through the directory's own operations ----

    private MailGroup group(String address, WhoCanSend who) {
        return directory.mailGroups().create(ACME, new MailGroups.Fields(address, null, null, who));
    }

    private void members(MailGroup group, MemberList list, MemberSpec... specs) {
        directory.mailGroups().addMembers(ACME, group.id(), list, List.of(specs));
    }

    private static MemberSpec user(String userId) {
        return new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, userId), null, null);
    }

    private static MemberSpec department(String id) {
        return new MemberSpec(MemberType.DEPARTMENT, null, new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, id), null);
    }

    private static MemberSpec byAddress(MemberType type, String address) {
        return new MemberSpec(type, null, null, address);
    }

    private static MemberSpec company() {
        return new MemberSpec(MemberType.COMPANY, null, null, null);
    }

    private String ownMailbox(String local, String domain) {
        return directory.mailboxes().create(ACME, domain, new Mailboxes.NewMailbox(local, "Own", "Box")).mailbox().email();
    }

    private String desk() {
        String desk = directory.publicMailboxes().create(ACME, new PublicMailboxes.Fields("desk@acme.test", "Desk", null), false).id();
        directory.publicMailboxes().addMembers(ACME, desk, List.of(new UserRef(UserIdKind.USER_ID, "u100")));
        return desk;
    }

    private List<String> aliasTargets(String address) {
        AliasAnswer answer = delivery.alias(address, RULES);
        assertThat(answer.kind()).as("alias %s", address).isEqualTo(Kind.TARGETS);
        return answer.addresses();
    }

    private Verdict verdict(String recipient, String login, String sender) {
        return delivery.maySend(recipient, login, sender, RULES).verdict();
    }

    // ---- domain, mailbox, alias, senders ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void domainsOfAnyTenantAreKnownInAnyCase(Backend backend) {
        open(backend);
        assertThat(delivery.domainExists("acme.test")).isTrue();
        assertThat(delivery.domainExists(" ACME-Mail.Test ")).isTrue();
        assertThat(delivery.domainExists("globex.test")).isTrue();
        assertThat(delivery.domainExists("nowhere.test")).isFalse();
        assertThat(delivery.domainExists("")).isFalse();
        assertThat(delivery.domainExists("\u212Acme.test")).as("a Kelvin sign is no k").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMailboxIsFoundByItsAddressOrWithAnExtensionOnlyWhileInService(Backend backend) {
        open(backend);
        assertThat(delivery.mailbox("Alice@ACME.test", RULES)).contains("alice@acme.test");
        assertThat(delivery.mailbox("alice+news@acme.test", RULES)).contains("alice@acme.test");
        assertThat(delivery.mailbox("alice+news@acme.test", new DeliveryRules(null, 1000))).isEmpty();
        assertThat(delivery.mailbox("alice-news@acme.test", new DeliveryRules("-", 1000))).contains("alice@acme.test");
        String own = ownMailbox("erin", "acme.test");
        assertThat(delivery.mailbox(own, RULES)).contains("erin@acme.test");
        directory.mailboxes().setActive(ACME, own, false);
        assertThat(delivery.mailbox(own, RULES)).as("paused").isEmpty();
        directory.mailboxes().moveToRecycleBin(ACME, "bob@acme.test");
        assertThat(delivery.mailbox("bob@acme.test", RULES)).as("in the recycle bin").isEmpty();
        String desk = desk();
        assertThat(delivery.mailbox("desk@acme.test", RULES)).contains("desk@acme.test");
        directory.publicMailboxes().moveToRecycleBin(ACME, desk, null);
        assertThat(delivery.mailbox("desk@acme.test", RULES)).isEmpty();
        group("sales@acme.test", WhoCanSend.ANYONE);
        assertThat(delivery.mailbox("sales@acme.test", RULES)).as("a group is no mailbox").isEmpty();
        directory.mailboxes().aliases().add(ACME, "carol@acme.test", "cw@acme.test");
        assertThat(delivery.mailbox("cw@acme.test", RULES)).as("an alias is no mailbox").isEmpty();
        assertThat(delivery.mailbox("nobody@acme.test", RULES)).isEmpty();
        assertThat(delivery.mailbox("not an address", RULES)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aliasesResolveToTheirMailboxWhileItIsInServiceAndACatchAllNeverShadowsAnOwner(Backend backend) {
        open(backend);
        directory.mailboxes().aliases().add(ACME, "alice@acme.test", "ali@acme.test");
        assertThat(aliasTargets("ALI@acme.test")).containsExactly("alice@acme.test");
        assertThat(aliasTargets("ali+x@acme.test")).containsExactly("alice@acme.test");
        assertThat(delivery.alias("alice@acme.test", RULES)).as("a mailbox's own address").isEqualTo(AliasAnswer.NOT_FOUND);
        directory.mailboxes().aliases().add(ACME, "carol@acme.test", "carol+lists@acme.test");
        assertThat(aliasTargets("carol+lists@acme.test")).as("an owned address before the one without its extension")
                .containsExactly("carol@acme.test");
        assertThat(delivery.alias("carol+other@acme.test", RULES)).as("the mailbox's own address, without the extension")
                .isEqualTo(AliasAnswer.NOT_FOUND);
        assertThat(delivery.alias("nobody@acme.test", RULES)).isEqualTo(AliasAnswer.NOT_FOUND);

        String ops = ownMailbox("ops", "acme-mail.test");
        directory.mailboxes().addAlias(ACME, ops, "anything@acme-mail.test", true);
        String erin = ownMailbox("erin", "acme-mail.test");
        assertThat(aliasTargets("unknown@acme-mail.test")).containsExactly("ops@acme-mail.test");
        assertThat(delivery.alias(erin, RULES)).as("a catch-all never shadows an owned address").isEqualTo(AliasAnswer.NOT_FOUND);
        assertThat(delivery.alias("erin+tag@acme-mail.test", RULES)).as("nor the address without its extension")
                .isEqualTo(AliasAnswer.NOT_FOUND);
        assertThat(delivery.mailbox("erin+tag@acme-mail.test", RULES)).contains("erin@acme-mail.test");
        assertThat(delivery.mailbox("unknown@acme-mail.test", RULES)).as("a catch-all is an alias, not a mailbox").isEmpty();

        directory.mailboxes().setActive(ACME, ops, false);
        assertThat(delivery.alias("unknown@acme-mail.test", RULES)).as("the catch-all's mailbox is paused")
                .isEqualTo(AliasAnswer.NOT_FOUND);
        directory.mailboxes().moveToRecycleBin(ACME, "alice@acme.test");
        assertThat(delivery.alias("ali@acme.test", RULES)).as("the alias of a recycled mailbox").isEqualTo(AliasAnswer.NOT_FOUND);

        desk();
        directory.publicMailboxes().aliases().add(ACME, "desk@acme.test", "help@acme.test");
        assertThat(aliasTargets("help@acme.test")).containsExactly("desk@acme.test");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sendersAreTheLoginsOfTheAddressesOwnerOrOfAPublicMailboxsMembers(Backend backend) {
        open(backend);
        directory.mailboxes().aliases().add(ACME, "alice@acme.test", "ali@acme.test");
        assertThat(delivery.senders("alice@acme.test", RULES)).containsExactly("alice@acme.test");
        assertThat(delivery.senders("Ali+x@acme.test", RULES)).containsExactly("alice@acme.test");
        String desk = desk();
        directory.publicMailboxes().addMembers(ACME, desk, List.of(new UserRef(UserIdKind.USER_ID, "u200")));
        assertThat(delivery.senders("desk@acme.test", RULES)).containsExactly("alice@acme.test", "bob@acme.test");
        group("sales@acme.test", WhoCanSend.ANYONE);
        assertThat(delivery.senders("sales@acme.test", RULES)).as("groups cannot be sent as").isEmpty();
        assertThat(delivery.senders("nobody@acme.test", RULES)).isEmpty();
        String own = ownMailbox("erin", "acme.test");
        assertThat(delivery.senders(own, RULES)).containsExactly("erin@acme.test");
        directory.mailboxes().setActive(ACME, own, false);
        assertThat(delivery.senders(own, RULES)).as("paused").isEmpty();
    }

    // ---- group expansion ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aGroupExpandsMemberTypeByMemberTypeDepthFirstWithoutDuplicates(Backend backend) {
        open(backend);
        directory.mailboxes().aliases().add(ACME, "carol@acme.test", "cw@acme.test");
        String desk = desk();
        MailGroup inner = group("inner@acme.test", WhoCanSend.ANYONE);
        MailGroup outer = group("outer@acme.test", WhoCanSend.ANYONE);
        String erin = ownMailbox("erin", "acme.test");
        members(inner, MemberList.MEMBERS, user("u300"), byAddress(MemberType.EXTERNAL_USER, "partner@example.org"));
        members(outer, MemberList.MEMBERS,
                user("u200"),                                                  // Bob
                department("D100"),                                             // Alice, and Bob again (D110 is below D100)
                byAddress(MemberType.MAIL_GROUP, "inner@acme.test"),           // Carol, partner@
                byAddress(MemberType.PUBLIC_MAILBOX, "desk@acme.test"),        // desk@
                byAddress(MemberType.OTHER_MEMBER, "cw@acme.test"),            // an alias: Carol again
                byAddress(MemberType.EXTERNAL_USER, "Friend@Example.org"),
                user("u400"));                                                 // Dan has no mailbox
        assertThat(aliasTargets("outer@acme.test")).containsExactly("bob@acme.test", "alice@acme.test", "carol@acme.test",
                "partner@example.org", "desk@acme.test", "friend@example.org");

        MailGroup all = group("all@acme.test", WhoCanSend.ANYONE);
        members(all, MemberList.MEMBERS, company());
        assertThat(aliasTargets("all@acme.test")).as("every user mailbox in service, whichever door made it")
                .containsExactly("alice@acme.test", "bob@acme.test", "carol@acme.test", erin);

        directory.mailboxes().setActive(ACME, erin, false);
        directory.mailboxes().moveToRecycleBin(ACME, "bob@acme.test");
        directory.publicMailboxes().moveToRecycleBin(ACME, desk, null);
        assertThat(aliasTargets("all@acme.test")).containsExactly("alice@acme.test", "carol@acme.test");
        assertThat(aliasTargets("outer@acme.test")).as("paused and recycled mailboxes are not delivered to")
                .containsExactly("alice@acme.test", "carol@acme.test", "partner@example.org", "friend@example.org");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOtherMemberNamingAGroupExpandsItAndACycleThroughItEndsWhereItStarted(Backend backend) {
        open(backend);
        MailGroup a = group("a@acme.test", WhoCanSend.ANYONE);
        MailGroup b = group("b@acme.test", WhoCanSend.ANYONE);
        directory.mailGroups().aliases().add(ACME, b.id(), "b-team@acme.test");
        members(a, MemberList.MEMBERS, user("u100"), byAddress(MemberType.OTHER_MEMBER, "b-team@acme.test"));
        members(b, MemberList.MEMBERS, user("u200"), byAddress(MemberType.MAIL_GROUP, "a@acme.test"));
        assertThat(aliasTargets("a@acme.test")).containsExactly("alice@acme.test", "bob@acme.test");
        assertThat(aliasTargets("b-team@acme.test")).as("a group alias expands its group")
                .containsExactly("bob@acme.test", "alice@acme.test");
        assertThat(aliasTargets("b+list@acme.test")).containsExactly("bob@acme.test", "alice@acme.test");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEmptyGroupIsNotFoundAndOnePastTheLimitIsTooLarge(Backend backend) {
        open(backend);
        MailGroup empty = group("empty@acme.test", WhoCanSend.ANYONE);
        members(empty, MemberList.MEMBERS, user("u400"));
        assertThat(delivery.alias("empty@acme.test", RULES)).isEqualTo(AliasAnswer.NOT_FOUND);
        MailGroup three = group("three@acme.test", WhoCanSend.ANYONE);
        members(three, MemberList.MEMBERS, user("u100"), user("u200"), user("u300"));
        assertThat(delivery.alias("three@acme.test", new DeliveryRules("+", 3)).addresses()).hasSize(3);
        assertThat(delivery.alias("three@acme.test", new DeliveryRules("+", 2))).isEqualTo(AliasAnswer.TOO_LARGE);
        Expansion seen = delivery.expansion(ACME, "three@acme.test", new DeliveryRules("+", 2));
        assertThat(seen).isEqualTo(new Expansion("three@acme.test", List.of("alice@acme.test", "bob@acme.test"), true));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anExternalMemberThatIsAnotherTenantsGroupIsExpandedHereAndKeepsItsOwnRule(Backend backend) {
        open(backend);
        Caller globex = as("globex");
        MailGroup staff = directory.mailGroups().create(globex,
                new MailGroups.Fields("staff@globex.test", null, null, WhoCanSend.ALL_INTERNAL_USERS));
        directory.mailGroups().addMembers(globex, staff.id(), MemberList.MEMBERS, List.of(user("g100")));
        MailGroup fwd = group("fwd@acme.test", WhoCanSend.ANYONE);
        members(fwd, MemberList.MEMBERS, user("u100"), byAddress(MemberType.EXTERNAL_USER, "staff@globex.test"));

        assertThat(aliasTargets("fwd@acme.test")).as("the mail system is never handed a group to expand on its own")
                .containsExactly("alice@acme.test", "gina@globex.test");
        assertThat(verdict("fwd@acme.test", null, "x@example.org")).as("globex's rule still holds")
                .isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("fwd@acme.test", "gina@globex.test", "gina@globex.test")).as("internal to globex")
                .isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("fwd@acme.test", "alice@acme.test", "alice@acme.test")).as("internal to acme only")
                .isEqualTo(Verdict.NOT_ALLOWED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aGroupWhoseAnswerWouldNotFitALookupReplyIsTooLargeEvenUnderTheAddressLimit(Backend backend) {
        open(backend);
        MailGroup wide = group("wide@acme.test", WhoCanSend.ANYONE);
        String domain = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + ".example";
        List<MemberSpec> specs = new ArrayList<>();
        for (int i = 0; i < 600; i++) specs.add(byAddress(MemberType.EXTERNAL_USER, "m" + i + "@" + domain));
        directory.mailGroups().addMembers(ACME, wide.id(), MemberList.MEMBERS, specs);
        assertThat(delivery.alias("wide@acme.test", RULES).kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(verdict("wide@acme.test", null, "x@example.org")).isEqualTo(Verdict.TOO_LARGE);
        assertThat(specs.size() * (domain.length() + 6)).as("the addresses alone pass 100,000 characters")
                .isGreaterThan(Delivery.MAX_ANSWER_CHARACTERS);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyMapHonoursTheRecipientDelimiterAndEachOfItsCharacters(Backend backend) {
        open(backend);
        DeliveryRules dash = new DeliveryRules("-", 1000);
        assertThat(delivery.senders("alice-x@acme.test", dash)).containsExactly("alice@acme.test");
        assertThat(delivery.senders("alice+x@acme.test", dash)).isEmpty();
        assertThat(delivery.senders("alice+x@acme.test", new DeliveryRules(null, 1000))).isEmpty();
        DeliveryRules both = new DeliveryRules("+-", 1000);
        assertThat(delivery.mailbox("alice-x@acme.test", both)).contains("alice@acme.test");
        assertThat(delivery.mailbox("alice+x-y@acme.test", both)).contains("alice@acme.test");
        assertThat(delivery.senders("alice+x@acme.test", both)).containsExactly("alice@acme.test");
    }

    // ---- who may send to a group ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void onlyGroupsAreDecidedAndAnyoneMayPostToAnAnyoneGroupUnlessItIsEmptyOrTooLarge(Backend backend) {
        open(backend);
        assertThat(verdict("alice@acme.test", null, "x@example.org")).isEqualTo(Verdict.NOT_A_GROUP);
        assertThat(verdict("nobody@acme.test", null, "x@example.org")).isEqualTo(Verdict.NOT_A_GROUP);
        MailGroup open = group("open@acme.test", WhoCanSend.ANYONE);
        assertThat(delivery.maySend("Open+x@acme.test", null, "x@example.org", RULES))
                .isEqualTo(new SendDecision(Verdict.EMPTY, "open@acme.test", "ANYONE", 1000));
        members(open, MemberList.MEMBERS, user("u100"), user("u200"));
        assertThat(verdict("open@acme.test", null, "x@example.org")).isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("open@acme.test", null, "")).as("the null sender").isEqualTo(Verdict.ALLOWED);
        assertThat(delivery.maySend("open@acme.test", null, "x@example.org", new DeliveryRules("+", 1)))
                .isEqualTo(new SendDecision(Verdict.TOO_LARGE, "open@acme.test", "ANYONE", 1));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anInternalSenderIsALoggedInUserOfTheTenantSendingAsAnAddressItOwns(Backend backend) {
        open(backend);
        MailGroup staff = group("staff@acme.test", WhoCanSend.ALL_INTERNAL_USERS);
        members(staff, MemberList.MEMBERS, user("u300"));
        directory.mailboxes().aliases().add(ACME, "alice@acme.test", "ali@acme.test");
        assertThat(verdict("staff@acme.test", "alice@acme.test", "alice@acme.test")).isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("staff@acme.test", "Alice@Acme.test", "ali+x@acme.test")).as("her alias").isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("staff@acme.test", null, "alice@acme.test")).as("no login").isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("staff@acme.test", "alice@acme.test", "bob@acme.test")).as("someone else's address")
                .isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("staff@acme.test", "alice@acme.test", "")).as("the null sender").isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("staff@acme.test", "gina@globex.test", "gina@globex.test")).as("another tenant's user")
                .isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("staff@acme.test", "ali@acme.test", "ali@acme.test")).as("a login is a primary address")
                .isEqualTo(Verdict.NOT_ALLOWED);
        directory.mailboxes().moveToRecycleBin(ACME, "bob@acme.test");
        assertThat(verdict("staff@acme.test", "bob@acme.test", "bob@acme.test")).as("a recycled user")
                .isEqualTo(Verdict.NOT_ALLOWED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void allGroupMembersAcceptsEveryKindOfMemberButExternalOnes(Backend backend) {
        open(backend);
        String desk = desk();
        directory.mailboxes().aliases().add(ACME, "carol@acme.test", "cw@acme.test");
        MailGroup nested = group("nested@acme.test", WhoCanSend.ANYONE);
        members(nested, MemberList.MEMBERS, department("D200"));
        MailGroup team = group("team@acme.test", WhoCanSend.ALL_GROUP_MEMBERS);
        members(team, MemberList.MEMBERS, department("D100"), byAddress(MemberType.EXTERNAL_USER, "partner@example.org"));
        assertThat(verdict("team@acme.test", "bob@acme.test", "bob@acme.test")).as("in a sub-department").isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("team@acme.test", "carol@acme.test", "carol@acme.test")).isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("team@acme.test", null, "partner@example.org")).as("external members grant nothing")
                .isEqualTo(Verdict.NOT_ALLOWED);

        members(team, MemberList.MEMBERS, byAddress(MemberType.MAIL_GROUP, "nested@acme.test"));
        assertThat(verdict("team@acme.test", "carol@acme.test", "carol@acme.test")).as("through a nested group")
                .isEqualTo(Verdict.ALLOWED);

        MailGroup byAlias = group("by-alias@acme.test", WhoCanSend.ALL_GROUP_MEMBERS);
        members(byAlias, MemberList.MEMBERS, byAddress(MemberType.OTHER_MEMBER, "cw@acme.test"));
        assertThat(verdict("by-alias@acme.test", "carol@acme.test", "carol@acme.test")).as("an address she owns")
                .isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("by-alias@acme.test", "alice@acme.test", "alice@acme.test")).isEqualTo(Verdict.NOT_ALLOWED);

        MailGroup shared = group("shared@acme.test", WhoCanSend.ALL_GROUP_MEMBERS);
        members(shared, MemberList.MEMBERS, byAddress(MemberType.PUBLIC_MAILBOX, "desk@acme.test"));
        assertThat(verdict("shared@acme.test", "alice@acme.test", "desk@acme.test")).as("as the public mailbox she belongs to")
                .isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("shared@acme.test", "alice@acme.test", "alice@acme.test")).as("as herself")
                .isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("shared@acme.test", "bob@acme.test", "desk@acme.test")).as("not a member of the public mailbox")
                .isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(desk).isNotBlank();

        MailGroup everyone = group("everyone@acme.test", WhoCanSend.ALL_GROUP_MEMBERS);
        members(everyone, MemberList.MEMBERS, company());
        String erin = ownMailbox("erin", "acme.test");
        assertThat(verdict("everyone@acme.test", erin, erin)).as("COMPANY: any internal user").isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("everyone@acme.test", null, "x@example.org")).isEqualTo(Verdict.NOT_ALLOWED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void customMembersReadsOnlyThePermissionListAndAnEmptyOneLetsNobodySend(Backend backend) {
        open(backend);
        desk();
        MailGroup board = group("board@acme.test", WhoCanSend.CUSTOM_MEMBERS);
        members(board, MemberList.MEMBERS, user("u100"), user("u200"));
        assertThat(verdict("board@acme.test", "alice@acme.test", "alice@acme.test")).as("empty permission list")
                .isEqualTo(Verdict.NOT_ALLOWED);
        members(board, MemberList.PERMISSION_MEMBERS, department("D200"),
                byAddress(MemberType.PUBLIC_MAILBOX, "desk@acme.test"));
        assertThat(verdict("board@acme.test", "carol@acme.test", "carol@acme.test")).isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("board@acme.test", "alice@acme.test", "alice@acme.test")).as("members gain nothing")
                .isEqualTo(Verdict.NOT_ALLOWED);
        assertThat(verdict("board@acme.test", "alice@acme.test", "desk@acme.test")).isEqualTo(Verdict.ALLOWED);
        MailGroup chairs = group("chairs@acme.test", WhoCanSend.ANYONE);
        members(chairs, MemberList.MEMBERS, user("u200"));
        members(board, MemberList.PERMISSION_MEMBERS, byAddress(MemberType.MAIL_GROUP, "chairs@acme.test"));
        assertThat(verdict("board@acme.test", "bob@acme.test", "bob@acme.test")).as("through a group's members")
                .isEqualTo(Verdict.ALLOWED);
        List<Verdict> external = new ArrayList<>();
        for (String from : List.of("carol@acme.test", "desk@acme.test", "x@example.org")) external.add(verdict("board@acme.test", null, from));
        assertThat(external).as("without a login nobody is a permission member").containsOnly(Verdict.NOT_ALLOWED);
        assertThat(delivery.maySend("board@acme.test", "carol@acme.test", "carol@acme.test", RULES))
                .isEqualTo(new SendDecision(Verdict.ALLOWED, "board@acme.test", "CUSTOM_MEMBERS", 1000));
    }

    // ---- answers kept ----

    /** Every answer of the maps and the policy to a fixed set of questions, as this Delivery gives them. */
    private static List<Object> answers(Delivery d) {
        List<Object> out = new ArrayList<>();
        for (String a : List.of("own@acme.test", "own+x@acme.test", "nick@acme.test", "team@acme.test", "desk@acme.test",
                "alice@acme.test", "nobody@acme.test", "new.test")) {
            out.add(d.domainExists(a));
            out.add(d.mailbox(a, RULES));
            out.add(d.alias(a, RULES));
            out.add(d.senders(a, RULES));
            out.add(d.maySend(a, "alice@acme.test", "alice@acme.test", RULES));
            out.add(d.maySend(a, "own@acme.test", "nick@acme.test", RULES));
        }
        return out;
    }

    /** Thirteen changes, one of each kind of directory object an answer above depends on. */
    private List<Runnable> changes() {
        return List.of(
                () -> ownMailbox("own", "acme.test"),
                () -> directory.mailboxes().addAlias(ACME, "own@acme.test", "nick@acme.test", false),
                () -> group("team@acme.test", WhoCanSend.ALL_GROUP_MEMBERS),
                () -> members(directory.mailGroups().get(ACME, "team@acme.test"), MemberList.MEMBERS, department("D100")),
                () -> members(directory.mailGroups().get(ACME, "team@acme.test"), MemberList.MEMBERS,
                        byAddress(MemberType.OTHER_MEMBER, "nick@acme.test")),
                () -> directory.mailGroups().change(ACME, "team@acme.test",
                        new MailGroups.Fields(null, null, null, WhoCanSend.CUSTOM_MEMBERS), false),
                () -> members(directory.mailGroups().get(ACME, "team@acme.test"), MemberList.PERMISSION_MEMBERS, user("u100")),
                this::desk,
                () -> directory.mailboxes().setActive(ACME, "own@acme.test", false),
                () -> directory.mailboxes().setActive(ACME, "own@acme.test", true),
                () -> directory.tenantLifecycle().addDomain(ACME, "acme", "new.test"),
                () -> directory.mailboxes().removeAlias(ACME, "own@acme.test", "nick@acme.test"),
                () -> directory.mailboxes().moveToRecycleBin(ACME, "own@acme.test"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void answersKeptFollowEveryChangeOfTheDirectoryOnTheNextLookUp(Backend backend) {
        open(backend);
        List<Runnable> changes = changes();
        for (int i = 0; i < changes.size(); i++) {
            answers(delivery);
            answers(delivery);
            changes.get(i).run();
            // A Delivery of its own has kept nothing: it reads every answer from the store.
            assertThat(answers(delivery)).as("after change %d", i).isEqualTo(answers(new Delivery(store)));
        }
    }

    @org.junit.jupiter.api.Test
    void onTwoNodesAnswersKeptOnOneFollowEveryChangeAcknowledgedOnTheOther() {
        String database = TestServers.newPostgresDatabase();
        store = SqlStore.openPostgres(database);
        directory = TestServers.seededDirectory(store, Clock.systemUTC());
        try (DirectoryStore node2 = SqlStore.openPostgres(database)) {
            ReadCountingStore counted = new ReadCountingStore(node2);
            Delivery kept = new Delivery(counted);
            List<Runnable> changes = changes();
            for (int i = 0; i < changes.size(); i++) {
                List<Object> before = answers(kept);
                long reads = counted.reads.get();
                assertThat(answers(kept)).isEqualTo(before);
                assertThat(counted.reads.get()).as("the same questions again, nothing changed: all kept").isEqualTo(reads);
                changes.get(i).run();
                assertThat(answers(kept)).as("after change %d", i).isEqualTo(answers(new Delivery(node2)));
                assertThat(counted.reads.get()).as("after change %d the store was read again", i).isGreaterThan(reads);
            }
        }
    }

    /** A node's store as it is, counting the reads made through it. */
    private static final class ReadCountingStore extends ForwardingStore {
        final AtomicLong reads = new AtomicLong();

        ReadCountingStore(DirectoryStore inner) {
            super(inner);
        }

        @Override
        public <T> T read(Function<Records, T> work) {
            reads.incrementAndGet();
            return inner.read(work);
        }
    }
}
