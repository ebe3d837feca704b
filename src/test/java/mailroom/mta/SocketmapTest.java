package mailroom.mta;

import static mailroom.mta.MtaWorld.external;
import static mailroom.mta.MtaWorld.user;
import static mailroom.testing.MtaWire.netstring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mailroom.directory.delivery.DeliveryRules;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.server.MailroomServer;
import mailroom.testing.MtaWire;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The socketmap listener over real sockets, reply bytes compared exactly: every map's hits and misses,
 * TEMP when the store fails, PERM for frames and map names it cannot serve, pipelining and many clients.
 */
class SocketmapTest {
    private MailroomServer server;

    private MtaWire connect(DeliveryRules rules) {
        server = TestServers.startWithMta(Backend.SQLITE, rules, ClientNetworks.DEFAULT);
        return MtaWire.connect(server.socketmapPort());
    }

    private MtaWire connect() {
        return connect(DeliveryRules.DEFAULTS);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void theDomainMapAnswersOkForAnOwnedDomainInAnyCaseAndNotfoundOtherwise() {
        try (MtaWire wire = connect()) {
            assertThat(wire.lookup("domain", "acme.test")).isEqualTo("12:OK acme.test,");
            assertThat(wire.lookup("domain", "ACME-Mail.test")).isEqualTo("17:OK acme-mail.test,");
            assertThat(wire.lookup("domain", "nowhere.test")).isEqualTo("9:NOTFOUND ,");
        }
    }

    @Test
    void theMailboxMapAnswersThePrimaryAddressAlsoForAnExtensionAndNotfoundForAliasesAndStrangers() {
        try (MtaWire wire = connect()) {
            new MtaWorld(server.directory()).userAlias("alice@acme.test", "ali@acme.test");
            assertThat(wire.lookup("mailbox", "alice@acme.test")).isEqualTo("18:OK alice@acme.test,");
            assertThat(wire.lookup("mailbox", "alice+news@acme.test")).isEqualTo("18:OK alice@acme.test,");
            assertThat(wire.lookup("mailbox", "ali@acme.test")).isEqualTo("9:NOTFOUND ,");
            assertThat(wire.lookup("mailbox", "nobody@acme.test")).isEqualTo("9:NOTFOUND ,");
        }
    }

    @Test
    void anEmptyRecipientDelimiterMeansAnExtensionIsPartOfTheAddress() {
        try (MtaWire wire = connect(new DeliveryRules(null, 1000))) {
            assertThat(wire.lookup("mailbox", "alice+news@acme.test")).isEqualTo("9:NOTFOUND ,");
            assertThat(wire.lookup("mailbox", "alice@acme.test")).isEqualTo("18:OK alice@acme.test,");
        }
    }

    @Test
    void theAliasMapResolvesAnAliasAndExpandsAGroupButNotAMailboxOwnAddress() {
        try (MtaWire wire = connect()) {
            MtaWorld world = new MtaWorld(server.directory());
            world.userAlias("alice@acme.test", "ali@acme.test");
            world.group("team@acme.test", WhoCanSend.ANYONE, user("u100"), user("u200"), user("u300"), user("u100"));
            world.group("nobody-home@acme.test", WhoCanSend.ANYONE);
            assertThat(wire.lookup("alias", "ali@acme.test")).isEqualTo("18:OK alice@acme.test,");
            assertThat(wire.lookup("alias", "team@acme.test")).isEqualTo("48:OK alice@acme.test,bob@acme.test,carol@acme.test,");
            assertThat(wire.lookup("alias", "team+x@acme.test")).isEqualTo("48:OK alice@acme.test,bob@acme.test,carol@acme.test,");
            assertThat(wire.lookup("alias", "alice@acme.test")).isEqualTo("9:NOTFOUND ,");
            assertThat(wire.lookup("alias", "nobody-home@acme.test")).as("an empty group").isEqualTo("9:NOTFOUND ,");
            assertThat(wire.lookup("alias", "stranger@acme.test")).isEqualTo("9:NOTFOUND ,");
        }
    }

    @Test
    void aGroupPastTheExpansionLimitAnswersTempSoPostfixCleanupNeverSeesIt() {
        try (MtaWire wire = connect(new DeliveryRules("+", 2))) {
            new MtaWorld(server.directory()).group("team@acme.test", WhoCanSend.ANYONE, user("u100"), user("u200"), user("u300"));
            assertThat(wire.lookup("alias", "team@acme.test")).isEqualTo("33:TEMP group expands past the limit,");
        }
    }

    @Test
    void aGroupWithinTheLimitWhoseReplyWouldPassOneHundredThousandCharactersAnswersTemp() {
        try (MtaWire wire = connect()) {
            String domain = "d".repeat(50) + ".example";
            List<MemberSpec> members = new ArrayList<>();
            for (int i = 0; i < 1000; i++) members.add(external("x".repeat(50) + String.format("%04d", i) + "@" + domain));
            new MtaWorld(server.directory()).group("huge@acme.test", WhoCanSend.ANYONE, members.toArray(MemberSpec[]::new));
            assertThat(wire.lookup("alias", "huge@acme.test")).isEqualTo("33:TEMP group expands past the limit,");
        }
    }

    @Test
    void theSendersMapAnswersTheLoginsThatMaySendAsAnAddress() {
        try (MtaWire wire = connect()) {
            MtaWorld world = new MtaWorld(server.directory());
            world.userAlias("bob@acme.test", "robert@acme.test");
            world.desk("u100", "u200");
            world.group("team@acme.test", WhoCanSend.ANYONE, user("u100"));
            assertThat(wire.lookup("senders", "alice@acme.test")).isEqualTo("18:OK alice@acme.test,");
            assertThat(wire.lookup("senders", "robert@acme.test")).isEqualTo("16:OK bob@acme.test,");
            assertThat(wire.lookup("senders", "desk@acme.test")).isEqualTo("32:OK alice@acme.test,bob@acme.test,");
            assertThat(wire.lookup("senders", "team@acme.test")).as("groups cannot be sent as").isEqualTo("9:NOTFOUND ,");
            assertThat(wire.lookup("senders", "stranger@acme.test")).isEqualTo("9:NOTFOUND ,");
        }
    }

    @Test
    void everyMapAnswersTempWhileTheStoreFailsAndRecoversWithIt() {
        MailroomServer.Options options = TestServers.options(Backend.POSTGRESQL, null)
                .withMta(TestServers.mta(DeliveryRules.DEFAULTS, ClientNetworks.DEFAULT));
        server = MailroomServer.start(options);
        try (MtaWire wire = MtaWire.connect(server.socketmapPort())) {
            assertThat(wire.lookup("mailbox", "alice@acme.test")).isEqualTo("18:OK alice@acme.test,");
            TestServers.breakPostgres(options.databaseUrl());
            try {
                for (String map : List.of("domain", "mailbox", "alias", "senders")) {
                    assertThat(wire.lookup(map, "alice@acme.test")).as(map).isEqualTo("26:TEMP directory unavailable,");
                }
            } finally {
                TestServers.repairPostgres(options.databaseUrl());
            }
            assertThat(wire.lookup("mailbox", "alice@acme.test")).isEqualTo("18:OK alice@acme.test,");
        }
    }

    @Test
    void anUnknownMapNameOrAMissingKeyAnswersPermAndTheConnectionGoesOn() {
        try (MtaWire wire = connect()) {
            assertThat(wire.lookup("passwd", "alice@acme.test"))
                    .isEqualTo("65:PERM unknown map; the maps are domain, mailbox, alias and senders,");
            assertThat(wire.send(netstring("mailbox")).readNetstring()).isEqualTo("46:PERM malformed request; expected '<map> <key>',");
            assertThat(wire.lookup("mailbox", "alice@acme.test")).isEqualTo("18:OK alice@acme.test,");
        }
    }

    @Test
    void aNonDigitLengthAnswersPermAndClosesOnlyThatConnection() {
        try (MtaWire other = connect(); MtaWire wire = MtaWire.connect(server.socketmapPort())) {
            assertThat(wire.send("abc:domain acme.test,").readNetstring()).isEqualTo("31:PERM malformed netstring length,");
            assertThat(wire.closedByServer()).isTrue();
            assertThat(other.lookup("domain", "acme.test")).isEqualTo("12:OK acme.test,");
        }
    }

    @Test
    void aLengthWithLeadingZerosIsMalformedAndCloses() {
        for (String frame : List.of("0016:domain acme.test,", "00000000016:domain acme.test,")) {
            try (MtaWire wire = connect()) {
                assertThat(wire.send(frame).readNetstring()).as(frame).isEqualTo("31:PERM malformed netstring length,");
                assertThat(wire.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void anEmptyLengthAnswersPermAndCloses() {
        try (MtaWire wire = connect()) {
            assertThat(wire.send(":domain acme.test,").readNetstring()).isEqualTo("31:PERM malformed netstring length,");
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void aLengthShorterThanThePayloadLeavesNoCommaWhereItBelongsAndIsAnsweredPerm() {
        try (MtaWire wire = connect()) {
            assertThat(wire.send("5:domain acme.test,").readNetstring()).isEqualTo("32:PERM netstring without its comma,");
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void aMissingCommaIsAnsweredPermAndCloses() {
        try (MtaWire wire = connect()) {
            assertThat(wire.send("16:domain acme.test;").readNetstring()).isEqualTo("32:PERM netstring without its comma,");
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void aRequestDeclaredLongerThan64KibIsAnsweredPermBeforeItsPayloadIsRead() {
        try (MtaWire wire = connect()) {
            assertThat(wire.send("65537:domain ").readNetstring()).isEqualTo("22:PERM request too large,");
            assertThat(wire.closedByServer()).isTrue();
        }
        try (MtaWire wire = MtaWire.connect(server.socketmapPort())) {
            String key = "k".repeat(64 * 1024 - "domain ".length());
            assertThat(wire.lookup("domain", key)).as("exactly 64 KiB is still served").isEqualTo("9:NOTFOUND ,");
        }
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() {
        try (MtaWire wire = connect()) {
            wire.send(netstring("domain acme.test") + netstring("mailbox nobody@acme.test") + netstring("mailbox alice@acme.test")
                    + netstring("domain globex.test"));
            assertThat(List.of(wire.readNetstring(), wire.readNetstring(), wire.readNetstring(), wire.readNetstring()))
                    .containsExactly("12:OK acme.test,", "9:NOTFOUND ,", "18:OK alice@acme.test,", "14:OK globex.test,");
        }
    }

    @Test
    void anAnswerIsSentEvenWhileTheNextRequestHasOnlyPartlyArrived() {
        try (MtaWire wire = connect()) {
            String next = netstring("domain globex.test");
            wire.send(netstring("domain acme.test") + next.substring(0, 5));
            assertThat(wire.readNetstring()).isEqualTo("12:OK acme.test,");
            wire.send(next.substring(5));
            assertThat(wire.readNetstring()).isEqualTo("14:OK globex.test,");
        }
    }

    @Test
    void manyConcurrentLongLivedConnectionsAreAllAnsweredCorrectly() throws Exception {
        connect().close();
        int clients = 64;
        List<MtaWire> wires = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) wires.add(MtaWire.connect(server.socketmapPort()));
            List<Callable<List<String>>> work = new ArrayList<>();
            for (MtaWire wire : wires) {
                work.add(() -> {
                    List<String> answers = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        answers.add(wire.lookup("mailbox", round % 2 == 0 ? "bob@acme.test" : "nobody@acme.test"));
                    }
                    return answers;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                for (Future<List<String>> answers : pool.invokeAll(work)) {
                    List<String> got = answers.get();
                    assertThat(got).hasSize(20);
                    for (int round = 0; round < 20; round++) {
                        assertThat(got.get(round)).isEqualTo(round % 2 == 0 ? "16:OK bob@acme.test," : "9:NOTFOUND ,");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            wires.forEach(MtaWire::close);
        }
    }

    @Test
    void aClientOutsideTheMtaClientNetworksIsDisconnectedAtOnce() {
        server = TestServers.startWithMta(Backend.SQLITE, DeliveryRules.DEFAULTS, "10.0.0.0/8");
        try (MtaWire wire = MtaWire.connect(server.socketmapPort())) {
            wire.send(netstring("domain acme.test"));
            assertThat(wire.closedByServer()).isTrue();
        }
    }

    @Test
    void stoppingTheServerClosesOpenConnections() {
        MtaWire wire = connect();
        try (wire) {
            assertThat(wire.lookup("domain", "acme.test")).isEqualTo("12:OK acme.test,");
            server.close();
            server = null;
            assertThat(wire.closedByServer()).isTrue();
        }
    }
}
