package mailroom.mta;

import static mailroom.mta.MtaWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import mailroom.directory.delivery.DeliveryRules;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.server.MailroomServer;
import mailroom.testing.MtaWire;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The policy listener over real sockets, answers compared byte for byte: DUNNO outside RCPT and for
 * anything that is not a group, each send rule's accept and refuse, empty and oversize groups, and 451
 * (fail closed) for garbage and for a store that fails.
 */
class PolicyTest {
    private static final String DUNNO = "action=DUNNO\n\n";
    private static final String NOT_ALLOWED = "action=550 5.7.1 team@acme.test: you may not send to this mail group\n\n";

    private MailroomServer server;
    private MtaWorld world;

    private MtaWire connect(DeliveryRules rules) {
        server = TestServers.startWithMta(Backend.SQLITE, rules, ClientNetworks.DEFAULT);
        world = new MtaWorld(server.directory());
        return MtaWire.connect(server.policyPort());
    }

    private MtaWire connect() {
        return connect(DeliveryRules.DEFAULTS);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** A request as Postfix sends it at RCPT (a few of its attributes); login null for none, sender "" for the null sender. */
    private static String[] rcpt(String recipient, String login, String sender) {
        List<String> lines = new ArrayList<>(List.of("request=smtpd_access_policy", "protocol_state=RCPT", "protocol_name=ESMTP",
                "client_address=127.0.0.1", "helo_name=client.test", "queue_id=", "sender=" + sender, "recipient=" + recipient,
                "recipient_count=0", "size=0"));
        lines.add("sasl_method=" + (login == null ? "" : "PLAIN"));
        lines.add("sasl_username=" + (login == null ? "" : login));
        return lines.toArray(String[]::new);
    }

    @Test
    void aRequestOutsideRcptAnswersDunnoEvenForAGroupNobodyMaySendTo() {
        try (MtaWire wire = connect()) {
            world.group("team@acme.test", WhoCanSend.CUSTOM_MEMBERS, user("u100"));
            String[] data = rcpt("team@acme.test", null, "x@elsewhere.test");
            data[1] = "protocol_state=DATA";
            assertThat(wire.policy(data)).isEqualTo(DUNNO);
            assertThat(wire.policy("request=something_else", "protocol_state=RCPT", "recipient=team@acme.test")).isEqualTo(DUNNO);
        }
    }

    @Test
    void aRecipientThatIsNoGroupAnswersDunno() {
        try (MtaWire wire = connect()) {
            assertThat(wire.policy(rcpt("alice@acme.test", null, "x@elsewhere.test"))).isEqualTo(DUNNO);
            assertThat(wire.policy(rcpt("stranger@acme.test", null, ""))).isEqualTo(DUNNO);
        }
    }

    @Test
    void anyoneMaySendToAGroupOpenToAnyone() {
        try (MtaWire wire = connect()) {
            world.group("team@acme.test", WhoCanSend.ANYONE, user("u100"));
            assertThat(wire.policy(rcpt("team@acme.test", null, ""))).isEqualTo(DUNNO);
            assertThat(wire.policy(rcpt("team+list@acme.test", null, "x@elsewhere.test"))).isEqualTo(DUNNO);
        }
    }

    @Test
    void allInternalUsersAcceptsALoggedInUserSendingAsHimselfAndRefusesEveryoneElse() {
        try (MtaWire wire = connect()) {
            world.group("team@acme.test", WhoCanSend.ALL_INTERNAL_USERS, user("u100"));
            assertThat(wire.policy(rcpt("team@acme.test", "carol@acme.test", "carol@acme.test"))).isEqualTo(DUNNO);
            assertThat(wire.policy(rcpt("team@acme.test", null, "carol@acme.test"))).as("no login").isEqualTo(NOT_ALLOWED);
            assertThat(wire.policy(rcpt("team@acme.test", "carol@acme.test", "alice@acme.test"))).as("a sender the login does not own")
                    .isEqualTo(NOT_ALLOWED);
            assertThat(wire.policy(rcpt("team@acme.test", "gina@globex.test", "gina@globex.test"))).as("another tenant's user")
                    .isEqualTo(NOT_ALLOWED);
            assertThat(wire.policy(rcpt("team@acme.test", "carol@acme.test", ""))).as("the null sender").isEqualTo(NOT_ALLOWED);
        }
    }

    @Test
    void allGroupMembersAcceptsAMemberAndRefusesAnInternalNonMember() {
        try (MtaWire wire = connect()) {
            world.group("team@acme.test", WhoCanSend.ALL_GROUP_MEMBERS, user("u100"), user("u200"));
            assertThat(wire.policy(rcpt("team@acme.test", "bob@acme.test", "bob@acme.test"))).isEqualTo(DUNNO);
            assertThat(wire.policy(rcpt("team@acme.test", "carol@acme.test", "carol@acme.test"))).isEqualTo(NOT_ALLOWED);
        }
    }

    @Test
    void customMembersAcceptsOnlyPermissionMembersNotMembers() {
        try (MtaWire wire = connect()) {
            MailGroup team = world.group("team@acme.test", WhoCanSend.CUSTOM_MEMBERS, user("u100"));
            world.permissionMembers(team, user("u300"));
            assertThat(wire.policy(rcpt("team@acme.test", "carol@acme.test", "carol@acme.test"))).isEqualTo(DUNNO);
            assertThat(wire.policy(rcpt("team@acme.test", "alice@acme.test", "alice@acme.test"))).isEqualTo(NOT_ALLOWED);
        }
    }

    @Test
    void aRefusalIsLoggedWithSenderLoginGroupAndRuleButNeverTheMembers() {
        Logger logger = (Logger) LoggerFactory.getLogger(Policy.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(log);
        try (MtaWire wire = connect()) {
            world.group("team@acme.test", WhoCanSend.ALL_GROUP_MEMBERS, user("u100"), user("u200"));
            assertThat(wire.policy(rcpt("team@acme.test", "carol@acme.test", "carol@acme.test"))).isEqualTo(NOT_ALLOWED);
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "policy refused: sender=<carol@acme.test> login=carol@acme.test group=team@acme.test rule=ALL_GROUP_MEMBERS"
                            + " reason=not_allowed");
        } finally {
            logger.detachAppender(log);
            logger.setLevel(before);
        }
    }

    @Test
    void aGroupWithoutMembersIsRefusedAsHavingNone() {
        try (MtaWire wire = connect()) {
            world.group("team@acme.test", WhoCanSend.ANYONE);
            assertThat(wire.policy(rcpt("team@acme.test", null, "x@elsewhere.test")))
                    .isEqualTo("action=550 5.1.1 team@acme.test: mail group has no members\n\n");
        }
    }

    @Test
    void aGroupPastTheExpansionLimitIsRefusedAtRcptNamingTheLimit() {
        try (MtaWire wire = connect(new DeliveryRules("+", 2))) {
            world.group("team@acme.test", WhoCanSend.ANYONE, user("u100"), user("u200"), user("u300"));
            assertThat(wire.policy(rcpt("team@acme.test", null, "x@elsewhere.test")))
                    .isEqualTo("action=550 5.5.3 team@acme.test: mail group expands to more than 2 recipients\n\n");
        }
    }

    @Test
    void garbageAnswers451AndTheConnectionServesTheNextRequest() {
        try (MtaWire wire = connect()) {
            assertThat(wire.policy("this is not a policy request")).isEqualTo("action=451 4.3.0 malformed policy request\n\n");
            assertThat(wire.send("\n").readPolicyAnswer()).as("an empty request").isEqualTo("action=451 4.3.0 malformed policy request\n\n");
            assertThat(wire.policy("request=smtpd_access_policy", "protocol_state=RCPT"))
                    .as("RCPT without a recipient").isEqualTo("action=451 4.3.0 malformed policy request\n\n");
            assertThat(wire.policy(rcpt("alice@acme.test", null, ""))).isEqualTo(DUNNO);
        }
    }

    @Test
    void aRequestOver64KibAnswers451AndCloses() {
        try (MtaWire wire = connect()) {
            wire.send("request=smtpd_access_policy\nhelo_name=" + "h".repeat(70_000) + "\n\n");
            assertThat(wire.readPolicyAnswer()).isEqualTo("action=451 4.3.0 policy request too large\n\n");
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void requestsSentTogetherAreAnsweredInOrder() {
        try (MtaWire wire = connect()) {
            world.group("team@acme.test", WhoCanSend.ALL_INTERNAL_USERS, user("u100"));
            StringBuilder three = new StringBuilder();
            for (String[] request : List.of(rcpt("team@acme.test", null, ""), rcpt("alice@acme.test", null, ""),
                    rcpt("team@acme.test", "bob@acme.test", "bob@acme.test"))) {
                three.append(String.join("\n", request)).append("\n\n");
            }
            wire.send(three.toString());
            assertThat(List.of(wire.readPolicyAnswer(), wire.readPolicyAnswer(), wire.readPolicyAnswer()))
                    .containsExactly(NOT_ALLOWED, DUNNO, DUNNO);
        }
    }

    @Test
    void aStoreFailureAnswers451SoTheSenderRetries() {
        MailroomServer.Options options = TestServers.options(Backend.POSTGRESQL, null)
                .withMta(TestServers.mta(DeliveryRules.DEFAULTS, ClientNetworks.DEFAULT));
        server = MailroomServer.start(options);
        try (MtaWire wire = MtaWire.connect(server.policyPort())) {
            assertThat(wire.policy(rcpt("alice@acme.test", null, ""))).isEqualTo(DUNNO);
            TestServers.breakPostgres(options.databaseUrl());
            try {
                assertThat(wire.policy(rcpt("alice@acme.test", null, ""))).isEqualTo("action=451 4.3.0 directory unavailable\n\n");
            } finally {
                TestServers.repairPostgres(options.databaseUrl());
            }
            assertThat(wire.policy(rcpt("alice@acme.test", null, ""))).isEqualTo(DUNNO);
        }
    }

    @Test
    void aClientOutsideTheMtaClientNetworksIsDisconnectedAtOnce() {
        server = TestServers.startWithMta(Backend.SQLITE, DeliveryRules.DEFAULTS, "10.0.0.0/8,::1/128");
        try (MtaWire wire = MtaWire.connect(server.policyPort())) {
            wire.send(String.join("\n", rcpt("alice@acme.test", null, "")) + "\n\n");
            assertThat(wire.closedByServer()).isTrue();
        }
    }
}
