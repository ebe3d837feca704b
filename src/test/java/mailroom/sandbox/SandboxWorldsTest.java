package mailroom.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import mailroom.server.MailroomServer;
import mailroom.server.StartupFailure;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.OpenApi;
import mailroom.testing.StoredState;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reset and snapshots (shared/specs/sandbox.md): a world changed through every door goes back, row by row of every
 * table, to what the seeds made at start (or to a snapshot), issued tokens stay valid unless revoked, and the
 * journal's numbers go on from where they were. A sandbox refuses a store that is not a sandbox's.
 */
class SandboxWorldsTest {
    /** Not the directory's data: kept across a reset, compared apart (and an FTS index's shadow tables, which are no data). */
    private static final Set<String> KEPT = Set.of("operator_token", "signing_secret", "change_log_counter", "disposable_store");
    private static final String GROUPS = "/open-apis/mail/v1/mailgroups?page_size=50";

    private static AdminHttp sandbox(Backend backend) {
        return AdminHttp.start(backend, o -> o.withSandbox(true), Clock.systemUTC());
    }

    /** Every row of every data table, as text: the world as stored, compared object by object. */
    private static String world(AdminHttp server) {
        return sections(server).stream().filter(s -> !KEPT.contains(table(s)) && !table(s).startsWith("user_mailbox_search_"))
                .collect(Collectors.joining());
    }

    private static String kept(AdminHttp server, String table) {
        return sections(server).stream().filter(s -> table(s).equals(table)).findFirst().orElseThrow();
    }

    private static List<String> sections(AdminHttp server) {
        return Arrays.stream(StoredState.of(server.options()).split("(?m)^(?=# )")).filter(s -> !s.isEmpty()).toList();
    }

    private static String table(String section) {
        return section.substring(2, section.indexOf(' ', 2));
    }

    private static void ok(FeishuHttp.Response r) {
        assertThat(r.json().path("code").asInt()).as(r.text()).isZero();
    }

    private static void status(FeishuHttp.Response r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
    }

    /** Writes through the Feishu mail and contact doors, the Hybridbox door and the operator door, and uses every control. */
    private static String changeEverything(AdminHttp server, FeishuHttp feishu) {
        HybridboxHttp hybridbox = new HybridboxHttp(server.server().port());
        String gid = feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"sales@acme.test\",\"name\":\"Sales\"}")
                .json().path("data").path("mailgroup_id").asText();
        ok(feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups/" + gid + "/members", "{\"type\":\"USER\",\"user_id\":\"ou_200\"}"));
        ok(feishu.call("cli_full", "POST", "/open-apis/mail/v1/public_mailboxes", "{\"email\":\"help@acme.test\",\"name\":\"Help\"}"));
        ok(feishu.call("cli_full", "POST", "/open-apis/mail/v1/user_mailboxes/alice@acme.test/aliases", "{\"email_alias\":\"al@acme.test\"}"));
        ok(feishu.call("cli_full", "POST", "/open-apis/contact/v3/users?user_id_type=user_id&department_id_type=department_id",
                "{\"user_id\":\"u700\",\"name\":\"Ivy\",\"enterprise_email\":\"ivy@acme.test\",\"mobile\":\"13011111111\","
                        + "\"employee_type\":1,\"department_ids\":[\"D100\"]}"));
        ok(feishu.call("cli_full", "POST", "/open-apis/contact/v3/departments?department_id_type=department_id",
                "{\"name\":\"Support\",\"parent_department_id\":\"0\",\"department_id\":\"D900\"}"));
        status(hybridbox.call(HybridboxHttp.PROVISIONING, "POST", HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes"),
                "{\"domain\":\"acme.test\",\"local_part\":\"erin\",\"first_name\":\"Erin\",\"last_name\":\"Berg\"}"), 201);
        status(server.send("POST", "/admin/v1/tenants", "{\"key\":\"initech\",\"name\":\"Initech\",\"domains\":[\"initech.test\"]}"), 201);
        FeishuHttp.Response app = server.send("POST", "/admin/v1/tenants/globex/apps", "{\"app_id\":\"cli_new\",\"scopes\":[\"mail:mailgroup\"]}");
        status(app, 201);
        status(server.send("DELETE", "/admin/v1/tenants/acme/users/u300", null), 204);
        status(server.send("POST", "/sandbox/v1/faults", "{\"door\":\"feishu\",\"route\":\"POST /open-apis/mail/v1/mailgroups\","
                + "\"answer\":{\"http\":500,\"code\":1230003}}"), 201);
        status(server.send("POST", "/sandbox/v1/clock", "{\"advance_s\":86400}"), 200);
        return app.json().path("app_secret").asText();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aResetPutsEveryRowOfAWorldChangedThroughEveryDoorBackAsTheSeedsMadeItAndKeepsTokensValid(Backend backend) {
        try (AdminHttp server = sandbox(backend)) {
            FeishuHttp feishu = new FeishuHttp(server.server().port());
            String seeded = world(server);
            String token = "Bearer " + feishu.token("cli_full");
            String operator = server.send("POST", "/admin/v1/operator-tokens", "{\"name\":\"ci\",\"role\":\"admin\"}").json().path("token").asText();
            long lastSeq = server.server().directory().journal().lastSeq();

            String newAppToken = "{\"app_id\":\"cli_new\",\"app_secret\":\"" + changeEverything(server, feishu) + "\"}";
            String tokenPath = "/open-apis/auth/v3/tenant_access_token/internal";
            ok(feishu.send("POST", tokenPath, null, newAppToken));
            assertThat(world(server)).isNotEqualTo(seeded);
            assertThat(server.send("GET", "/sandbox/v1/requests", null).json().path("items")).isNotEmpty();

            FeishuHttp.Response reset = server.send("POST", "/sandbox/v1/reset", null);
            status(reset, 200);
            assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/reset", reset)).isEmpty();
            assertThat(reset.json().path("tenants").asInt()).isEqualTo(3);
            assertThat(reset.json().path("took_ms").asLong()).isBetween(0L, 999L);
            assertThat(world(server)).isEqualTo(seeded);

            assertThat(server.send("GET", "/sandbox/v1/requests", null).json().path("items")).isEmpty();
            assertThat(server.send("GET", "/sandbox/v1/faults", null).json().path("items")).isEmpty();
            Instant now = Instant.parse(server.send("POST", "/sandbox/v1/clock", "{\"advance_s\":0}").json().path("now").asText());
            assertThat(now).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(1));
            // Issued tokens still verify, the operator's own token (made after start) still works, seed credentials too.
            ok(feishu.send("GET", GROUPS, token, null));
            // An app the test made is gone with its world, even though this node had it cached.
            assertThat(feishu.send("POST", tokenPath, null, newAppToken).json().path("code").asInt()).isEqualTo(10003);
            status(server.sendAs("Bearer " + operator, "GET", "/admin/v1/tenants", null), 200);
            status(new HybridboxHttp(server.server().port()).call(HybridboxHttp.PROVISIONING, "GET",
                    HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes?search=alice"), null), 200);
            // A journal number is never given twice: the next write goes on after the highest one given before the reset.
            ok(feishu.send("POST", "/open-apis/mail/v1/mailgroups", token, "{\"email\":\"after@acme.test\",\"name\":\"After\"}"));
            assertThat(server.server().directory().journal().lastSeq()).isGreaterThan(lastSeq + 10);
            assertThat(server.server().directory().journal().after(0, 1000).getLast().seq())
                    .isEqualTo(server.server().directory().journal().lastSeq());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aResetThatRevokesTokensMakesEveryIssuedFeishuTokenInvalidAndNothingElse(Backend backend) {
        try (AdminHttp server = sandbox(backend)) {
            FeishuHttp before = new FeishuHttp(server.server().port());
            String token = "Bearer " + before.token("cli_full");
            String signingKey = kept(server, "signing_secret");

            FeishuHttp.Response reset = server.send("POST", "/sandbox/v1/reset", "{\"revoke_tokens\":true}");
            status(reset, 200);

            FeishuHttp.Response refused = before.send("GET", GROUPS, token, null);
            assertThat(refused.json().path("code").asInt()).as(refused.text()).isEqualTo(99991663);
            assertThat(kept(server, "signing_secret")).isNotEqualTo(signingKey);
            FeishuHttp after = new FeishuHttp(server.server().port());
            assertThat(after.token("cli_full")).isNotEqualTo(token.substring("Bearer ".length()));
            ok(after.call("cli_full", "GET", GROUPS, null));
            status(new HybridboxHttp(server.server().port()).call(HybridboxHttp.PROVISIONING, "GET",
                    HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes"), null), 200);
        }
    }

    /** A mail group created through the Feishu door, and when its request was under way. */
    private record Write(String address, long started, long ended, String answer) {}

    @ParameterizedTest
    @EnumSource(Backend.class)
    void writesBesideResetsLandWhollyInTheWorldBeforeOrTheWorldAfterAndEveryOneIsAnswered(Backend backend) throws Exception {
        try (AdminHttp server = sandbox(backend)) {
            FeishuHttp feishu = new FeishuHttp(server.server().port());
            feishu.token("cli_full");
            java.util.Queue<Write> writes = new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> writers = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String address = "w" + writer + "-" + i + "@acme.test";
                        long started = System.nanoTime();
                        String answer = feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                                "{\"email\":\"" + address + "\",\"name\":\"W\"}").text();
                        writes.add(new Write(address, started, System.nanoTime(), answer));
                    }
                }));
            }
            long lastResetStarted = 0;
            long lastResetEnded = 0;
            for (int r = 0; r < 5; r++) {
                Thread.sleep(60);
                lastResetStarted = System.nanoTime();
                status(server.send("POST", "/sandbox/v1/reset", null), 200);
                lastResetEnded = System.nanoTime();
            }
            Thread.sleep(100);
            stop.set(true);
            for (Thread t : writers) t.join();

            var directory = server.server().directory();
            Set<String> journalled = directory.journal().after(0, 100_000).stream().map(e -> e.change())
                    .filter(c -> c.objectKind() == mailroom.directory.Change.ObjectKind.MAIL_GROUP).map(c -> c.address())
                    .collect(Collectors.toSet());
            int before = 0;
            int after = 0;
            for (Write write : writes) {
                assertThat(FeishuHttp.JSON.readTree(write.answer()).path("code").asInt()).as(write.answer()).isZero();
                boolean present;
                try {
                    present = directory.mailGroups().get(mailroom.testing.TestCallers.as("acme"), write.address()) != null;
                } catch (mailroom.directory.DirectoryException e) {
                    present = false;
                }
                // A group is there with its journal entry, or neither is: no write lands half.
                assertThat(journalled.contains(write.address())).as(write.address()).isEqualTo(present);
                if (write.ended() < lastResetStarted) {
                    assertThat(present).as("acknowledged before the last reset: gone with its world").isFalse();
                    before++;
                } else if (write.started() > lastResetEnded) {
                    assertThat(present).as("made after the last reset: in the new world").isTrue();
                    after++;
                }
            }
            assertThat(before).isPositive();
            assertThat(after).isPositive();
        }
    }

    @Test
    void aResetForgetsRateWindowsAndRefusesABadBodyWithoutChangingAnything() {
        try (AdminHttp server = AdminHttp.start(Backend.SQLITE, o -> new MailroomServer.Options(o.host(), o.port(), o.dataDir(),
                o.databaseUrl(), o.seeds(), true, o.headerTimeout(), o.idleTimeout(), o.mta(), o.adminTokenFile(), o.events(), true),
                Clock.systemUTC())) {
            FeishuHttp feishu = new FeishuHttp(server.server().port());
            // Mail v1 #45 (release a mailbox) is documented at 20 requests a minute: the 21st is refused.
            String release = "/open-apis/mail/v1/user_mailboxes/nobody@acme.test";
            for (int i = 0; i < 20; i++) assertThat(feishu.call("cli_full", "DELETE", release, null).status()).isNotEqualTo(429);
            assertThat(feishu.call("cli_full", "DELETE", release, null).status()).isEqualTo(429);
            ok(feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"kept@acme.test\",\"name\":\"Kept\"}"));
            String changed = world(server);
            for (String bad : List.of("{\"revoke_tokens\":\"yes\"}", "{\"revoke\":true}", "[]", "nope")) {
                FeishuHttp.Response r = server.send("POST", "/sandbox/v1/reset", bad);
                status(r, 400);
                assertThat(r.json().path("type").asText()).isEqualTo("urn:mailroom:problem:validation");
                assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/reset", r)).as(bad).isEmpty();
            }
            assertThat(world(server)).isEqualTo(changed);
            status(server.send("POST", "/sandbox/v1/reset", "{}"), 200);
            assertThat(feishu.call("cli_full", "DELETE", release, null).status()).as("a new window after the reset").isNotEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSnapshotRoundTripsTheStoreAndOutlivesAReset(Backend backend) {
        try (AdminHttp server = sandbox(backend)) {
            FeishuHttp feishu = new FeishuHttp(server.server().port());
            ok(feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"base@acme.test\",\"name\":\"Base\"}"));
            String base = world(server);
            FeishuHttp.Response taken = server.send("POST", "/sandbox/v1/snapshots", "{\"name\":\"with base group\"}");
            status(taken, 201);
            assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/snapshots", taken)).isEmpty();
            String id = taken.json().path("id").asText();
            assertThat(id).matches("snap_[0-9a-z]{16}");
            assertThat(taken.header("location")).isEqualTo("/sandbox/v1/snapshots/" + id);
            assertThat(taken.json().path("name").asText()).isEqualTo("with base group");
            assertThat(taken.json().path("tenants").asInt()).isEqualTo(3);
            Instant created = Instant.parse(taken.json().path("created_at").asText());

            changeEverything(server, feishu);
            FeishuHttp.Response restored = server.send("POST", "/sandbox/v1/snapshots/" + id + "/restore", null);
            status(restored, 200);
            assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/snapshots/" + id + "/restore", restored)).isEmpty();
            assertThat(restored.json().path("id").asText()).isEqualTo(id);
            assertThat(world(server)).isEqualTo(base);
            // Restoring touches the store only: the fault and the moved clock of changeEverything stay.
            assertThat(server.send("GET", "/sandbox/v1/faults", null).json().path("items")).hasSize(1);

            status(server.send("POST", "/sandbox/v1/reset", null), 200);
            JsonNode list = server.send("GET", "/sandbox/v1/snapshots", null).json();
            assertThat(list.path("items")).hasSize(1);
            assertThat(list.path("items").get(0).path("id").asText()).isEqualTo(id);
            assertThat(Instant.parse(list.path("items").get(0).path("created_at").asText())).isEqualTo(created);
            assertThat(server.send("GET", "/sandbox/v1/snapshots/" + id, null).json()).isEqualTo(list.path("items").get(0));
            status(server.send("POST", "/sandbox/v1/snapshots/" + id + "/restore", null), 200);
            assertThat(world(server)).isEqualTo(base);

            status(server.send("DELETE", "/sandbox/v1/snapshots/" + id, null), 204);
            assertThat(server.send("GET", "/sandbox/v1/snapshots", null).json().path("items")).isEmpty();
            for (String[] call : List.of(new String[]{"POST", "/sandbox/v1/snapshots/" + id + "/restore"},
                    new String[]{"DELETE", "/sandbox/v1/snapshots/" + id}, new String[]{"GET", "/sandbox/v1/snapshots/" + id})) {
                FeishuHttp.Response r = server.send(call[0], call[1], null);
                status(r, 404);
                assertThat(r.json().path("detail").asText()).isEqualTo("no snapshot " + id);
            }
            assertThat(world(server)).isEqualTo(base);
            for (String bad : List.of("{}", "{\"name\":\"\"}", "{\"name\":7}", "{\"name\":\"x\",\"tenant\":\"acme\"}",
                    "{\"name\":\"" + "n".repeat(201) + "\"}")) {
                FeishuHttp.Response r = server.send("POST", "/sandbox/v1/snapshots", bad);
                status(r, 400);
                assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/snapshots", r)).as(bad).isEmpty();
            }
            assertThat(server.send("GET", "/sandbox/v1/snapshots", null).json().path("items")).isEmpty();
        }
    }

    @Test
    void aSandboxRefusesAStoreThatHoldsDataAndIsNoSandboxsAndChangesNothingOfIt(@TempDir Path data) {
        MailroomServer.Options normal = TestServers.options(Backend.SQLITE, data);
        MailroomServer.start(normal).close();
        String before = StoredState.of(normal);
        assertThatThrownBy(() -> MailroomServer.start(normal.withSandbox(true)))
                .isInstanceOfSatisfying(StartupFailure.class, e -> assertThat(e.kind()).isEqualTo(StartupFailure.Kind.DATABASE))
                .hasMessageStartingWith("--sandbox empties its store at every start and reset, and this store is no sandbox's: it holds 3 tenant(s)")
                .hasMessageEndingWith("Give the sandbox an empty data directory or database (nothing was changed)");
        assertThat(StoredState.of(normal)).isEqualTo(before);
    }

    @Test
    void aSandboxStartedAgainOnItsOwnStoreStartsFromTheSeedsAlone(@TempDir Path data) throws Exception {
        MailroomServer.Options options = TestServers.options(Backend.SQLITE, data).withSandbox(true);
        String seeded;
        try (MailroomServer first = MailroomServer.start(options)) {
            seeded = worldOf(options);
            FeishuHttp feishu = new FeishuHttp(first.port());
            ok(feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"left@acme.test\",\"name\":\"Left over\"}"));
            assertThat(worldOf(options)).contains("left@acme.test");
        }
        try (MailroomServer second = MailroomServer.start(options)) {
            assertThat(worldOf(options)).doesNotContain("left@acme.test");
            assertThat(Files.exists(data.resolve("mailroom.db"))).isTrue();
            // Same seeds, a new world: the same rows but for the ids and times the second start gave.
            assertThat(worldOf(options).lines().count()).isEqualTo(seeded.lines().count());
        }
    }

    private static String worldOf(MailroomServer.Options options) {
        return Arrays.stream(StoredState.of(options).split("(?m)^(?=# )")).filter(s -> !s.isEmpty())
                .filter(s -> !KEPT.contains(table(s)) && !table(s).startsWith("user_mailbox_search_")).collect(Collectors.joining());
    }
}
