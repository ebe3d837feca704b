package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mailroom.Main;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import mailroom.server.StartupFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code mailroom check-seed}: every problem of a seed with its line, column and field path, and the same verdict
 * as a server start: each bad seed here is refused by both, each good one passes both.
 */
class CheckSeedCommandTest {
    @TempDir
    Path dir;

    /** What a command printed and how it ended. */
    record Ran(int exit, List<String> out, List<String> err) {}

    static Ran run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Ran(exit, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A bad seed: its text and the problem lines check-seed prints for it (LINE:COLUMN: PATH: message). */
    record Bad(String name, String text, List<String> problems) {
        Bad(String name, String text, String... problems) {
            this(name, text, List.of(problems));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String KNOWN_TENANT_FIELDS = "apps, departments, domains, geo, hybridbox, key, limits, name, rate_limits, users";
    /** The Feishu door's scopes, as the directory lists them in a refusal. */
    static final String KNOWN_SCOPES = "contact:contact, contact:contact.base:readonly, contact:contact:access_as_app, contact:contact:readonly, "
            + "contact:contact:readonly_as_app, contact:department.base:readonly, contact:department.organize:readonly, "
            + "contact:user.base:readonly, contact:user.employee_id:readonly, mail:mailgroup, mail:mailgroup:readonly, mail:public_mailbox, "
            + "mail:public_mailbox.public_mailbox_geo, mail:public_mailbox:readonly, mail:user_mailbox, mail:user_mailbox:readonly";
    private static final String ACME = "tenants:\n  - key: acme\n    domains: [acme.test]\n";

    static Stream<Bad> badSeeds() {
        return Stream.of(
                new Bad("malformed YAML", "tenants:\n  - {key: acme, domains: [acme.test\n",
                        "2:36: malformed YAML/JSON: while parsing a flow sequence: expected ',' or ']', but got <stream end>"),
                new Bad("malformed JSON", "{\"tenants\": [{\"key\": \"acme\"}\n",
                        "1:29: malformed YAML/JSON: while parsing a flow sequence: expected ',' or ']', but got <stream end>"),
                new Bad("an empty file", "# nothing yet\n", "1:1: the file is empty"),
                new Bad("a list at the top", "- key: acme\n", "1:1: expected a mapping with 'tenants' at the top, found a list"),
                new Bad("no tenants", "tenant:\n  - key: acme\n",
                        "1:1: tenant: unknown field (known: tenants)", "1:1: tenants: required field missing"),
                new Bad("an unknown field", "tenants:\n  - key: acme\n    domian: [acme.test]\n",
                        "3:5: tenants[0].domian: unknown field (known: " + KNOWN_TENANT_FIELDS + ")"),
                new Bad("a key given twice", ACME + "    users: []\n    domains: [acme.test]\n",
                        "5:5: tenants[0].domains: duplicate field (given twice in this mapping)"),
                new Bad("text for a list", "tenants:\n  - key: acme\n    domains: acme.test\n", "3:14: tenants[0].domains: expected a list"),
                new Bad("text for a number", ACME + "    limits: {mail_groups: many}\n", "4:27: tenants[0].limits.mail_groups: expected a number"),
                new Bad("text for true or false", ACME + "    geo: {multi_geo: maybe}\n", "4:22: tenants[0].geo.multi_geo: expected true or false"),
                new Bad("a list for text", "tenants:\n  - key: [acme]\n", "2:10: tenants[0].key: expected text"),
                new Bad("a NUL character", "{\"tenants\": [{\"key\": \"ac\\u0000me\"}]}", "1:22: tenants[0].key: contains a NUL character"),
                new Bad("an empty entry", ACME + "    users:\n      -\n", "5:8: tenants[0].users[0]: empty entry"),
                new Bad("no tenant key", "tenants:\n  - {name: Acme, domains: [acme.test]}\n", "2:5: tenants[0].key: required field missing"),
                new Bad("no app secret", ACME + "    apps:\n      - {app_id: cli_a}\n", "5:9: tenants[0].apps[0].app_secret: required field missing"),
                new Bad("no app id", ACME + "    apps:\n      - {app_secret: s}\n", "5:9: tenants[0].apps[0].app_id: required field missing"),
                new Bad("no user id", ACME + "    users:\n      - {name: Bob}\n", "5:9: tenants[0].users[0].user_id: required field missing"),
                new Bad("no department id", ACME + "    departments:\n      - {name: Sales}\n",
                        "5:9: tenants[0].departments[0].department_id: required field missing"),
                new Bad("no service account token", ACME + "    hybridbox:\n      service_accounts:\n        - {name: p}\n",
                        "6:11: tenants[0].hybridbox.service_accounts[0].token: required field missing"),
                new Bad("no service account name", ACME + "    hybridbox:\n      service_accounts:\n        - {token: hbx_sa_x}\n",
                        "6:11: tenants[0].hybridbox.service_accounts[0].name: required field missing"),
                new Bad("an invalid address", ACME + "    users:\n      - {user_id: u1, email: \"alice at acme.test\"}\n",
                        "5:30: tenants[0].users[0].email: not a valid address"),
                new Bad("an address outside the tenant's domains", ACME + "    users:\n      - {user_id: u1, email: alice@other.test}\n",
                        "5:30: tenants[0].users[0].email: domain other.test is not a domain of this tenant (acme.test)"),
                new Bad("an invalid domain", "tenants:\n  - key: acme\n    domains: [acme]\n", "3:15: tenants[0].domains[0]: not a valid domain name"),
                new Bad("a domain in capitals", "tenants:\n  - key: acme\n    domains: [Acme.test]\n",
                        "3:15: tenants[0].domains[0]: write the domain in lower case, without spaces: acme.test"),
                new Bad("a tenant key twice", ACME + "  - key: acme\n", "4:10: tenants[1].key: duplicate tenant key acme (first at tenants[0].key)"),
                new Bad("an app id in two tenants",
                        ACME + "    apps: [{app_id: cli_a, app_secret: s}]\n  - key: beta\n    apps: [{app_id: cli_a, app_secret: t}]\n",
                        "6:21: tenants[1].apps[0].app_id: duplicate app id cli_a (first at tenants[0].apps[0].app_id)"),
                new Bad("a user id twice", ACME + "    users: [{user_id: u1}, {user_id: u1}]\n",
                        "4:38: tenants[0].users[1].user_id: duplicate user id u1 (first at tenants[0].users[0].user_id)"),
                new Bad("a department id twice", ACME + "    departments: [{department_id: D1}, {department_id: D1}]\n",
                        "4:56: tenants[0].departments[1].department_id: duplicate department id D1 (first at tenants[0].departments[0].department_id)"),
                new Bad("an email twice", ACME + "    users: [{user_id: u1, email: a@acme.test}, {user_id: u2, email: A@acme.test}]\n",
                        "4:69: tenants[0].users[1].email: duplicate email a@acme.test (first at tenants[0].users[0].email)"),
                new Bad("a domain in two tenants", ACME + "  - key: beta\n    domains: [acme.test]\n",
                        "5:15: tenants[1].domains[0]: duplicate domain acme.test (first at tenants[0].domains[0])"),
                new Bad("a Hybridbox account in two tenants", ACME + "    hybridbox: {account_id: x1}\n  - key: beta\n    hybridbox: {account_id: x1}\n",
                        "6:29: tenants[1].hybridbox.account_id: duplicate Hybridbox account id x1 (first at tenants[0].hybridbox.account_id)"),
                new Bad("a token twice", ACME + "    hybridbox:\n      service_accounts: [{name: a, token: hbx_sa_1}, {name: b, token: hbx_sa_1}]\n",
                        "5:71: tenants[0].hybridbox.service_accounts[1].token: duplicate service account token"
                                + " (first at tenants[0].hybridbox.service_accounts[0].token)"),
                new Bad("a parent that does not exist", ACME + "    departments: [{department_id: D1, parent: D9}]\n",
                        "4:47: tenants[0].departments[0].parent: no department D9 in this tenant"),
                new Bad("a user in a department that does not exist", ACME + "    users: [{user_id: u1, departments: [D1]}]\n",
                        "4:41: tenants[0].users[0].departments[0]: no department D1 in this tenant"),
                new Bad("an unknown scope", ACME + "    apps: [{app_id: cli_a, app_secret: s, scopes: [mail:mailgroup, mail:everything]}]\n",
                        "4:68: tenants[0].apps[0].scopes[1]: unknown scope mail:everything (known: " + KNOWN_SCOPES + ")"),
                new Bad("a scope twice", ACME + "    apps: [{app_id: cli_a, app_secret: s, scopes: [mail:mailgroup, mail:mailgroup]}]\n",
                        "4:68: tenants[0].apps[0].scopes[1]: scope mail:mailgroup is named twice"),
                new Bad("an unknown permission", ACME + "    hybridbox:\n      service_accounts: [{name: a, token: t, permissions: [mailbox.fly]}]\n",
                        "5:60: tenants[0].hybridbox.service_accounts[0].permissions[0]: unknown permission mailbox.fly (known: mailbox.view, "
                                + "mailbox.create, mailbox.update, mailbox.delete, mailbox.alias.manage, domain.view, account.view, service_account.manage)"),
                new Bad("a rate limit for a route that does not exist", ACME + "    rate_limits: {\"POST /open-apis/mail/v1/nothing\": 5/s}\n",
                        "4:19: tenants[0].rate_limits[\"POST /open-apis/mail/v1/nothing\"]: not a Feishu route"
                                + " (write it like \"POST /open-apis/mail/v1/public_mailboxes\")"),
                new Bad("a rate limit that is no rate", ACME + "    rate_limits: {\"POST /open-apis/mail/v1/mailgroups\": fast}\n",
                        "4:57: tenants[0].rate_limits[\"POST /open-apis/mail/v1/mailgroups\"]: rate limit 'fast' is not like \"50/s\", \"20/min\""
                                + " or \"1000/min & 50/s\""),
                new Bad("a user name longer than the directory keeps", ACME + "    users: [{user_id: u1, name: " + "x".repeat(256) + "}]\n",
                        "4:33: tenants[0].users[0].name: must be at most 255 characters"),
                new Bad("a user id too long for the open id made from it", ACME + "    users: [{user_id: " + "u".repeat(254) + "}]\n",
                        "4:23: tenants[0].users[0].user_id: must be at most 252 characters when open_id or union_id is not given"
                                + " (they are made from it: ou_..., on_...)"),
                new Bad("a negative limit", ACME + "    limits: {mail_groups: -1}\n", "4:27: tenants[0].limits.mail_groups: must not be negative"),
                new Bad("a default geo that is not allowed", ACME + "    geo: {multi_geo: true, allowed: [cn, sg], default_geo: us}\n",
                        "4:60: tenants[0].geo.default_geo: not one of allowed (cn, sg)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSeeds")
    void aBadSeedIsReportedWithLineAndPathAndRefusedByTheServerToo(Bad bad) throws Exception {
        Path file = write("seed.yaml", bad.text());
        Ran ran = run("check-seed", file.toString());
        List<String> expected = new ArrayList<>(bad.problems().stream().map(p -> file + ":" + p).toList());
        assertThat(ran.out().subList(0, ran.out().size() - 1)).isEqualTo(expected);
        assertThat(ran.out().get(ran.out().size() - 1)).startsWith(file + ": ")
                .endsWith(bad.problems().size() == 1 ? " 1 error" : " " + bad.problems().size() + " errors");
        assertThat(ran.err()).isEmpty();
        assertThat(ran.exit()).isEqualTo(1);

        assertThat(serverRefusal(file)).as("the server's own reading refuses it too").isNotNull();
    }

    /**
     * How a server start without check-seed ends for this file: the message of its refusal (the seed reader's or
     * the start's), or null when it served. The store is never created for a refused seed.
     */
    private String serverRefusal(Path file) throws IOException {
        SeedFile seed;
        try {
            seed = Seeder.read(file);
        } catch (IOException e) {
            return e.getMessage();
        }
        Path data = dir.resolve("data-" + System.nanoTime());
        try (MailroomServer server = MailroomServer.start(new MailroomServer.Options("127.0.0.1", 0, data, null, List.of(seed), false))) {
            assertThat(server.port()).isPositive();
            return null;
        } catch (StartupFailure e) {
            assertThat(e.kind()).isEqualTo(StartupFailure.Kind.SEED);
            assertThat(data.resolve("mailroom.db")).as("no store for a refused seed").doesNotExist();
            return e.getMessage();
        }
    }

    /** A good seed: where it comes from, and the summary check-seed prints for it. */
    record Good(String name, String text, String summary) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String resource(String name) {
        try (InputStream in = CheckSeedCommandTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final String DESIGN_EXAMPLE = """
            tenants:
              - key: acme                      # tenant_key
                name: Acme Inc.
                domains: [acme.test, acme-mail.test]
                geo: {multi_geo: true, allowed: [cn, sg, us]}     # omit: tenant has no multi-geo
                limits: {public_mailboxes: 1000, mail_groups: 1000, mail_group_members: 10000,
                         aliases_per_address: 10, public_mailboxes_per_user: 50}   # omitted = defaults
                apps:                          # Feishu custom apps
                  - app_id: cli_a1b2c3d4e5
                    app_secret: "secret-acme"
                    scopes: [mail:mailgroup, mail:public_mailbox, mail:user_mailbox,
                             mail:public_mailbox.public_mailbox_geo, contact:user.employee_id:readonly]
                departments:
                  - {department_id: D100, open_department_id: od-100, name: Sales, parent: null}
                users:
                  - {user_id: u100, open_id: ou_100, union_id: on_100, name: Alice Liu,
                     email: alice@acme.test, departments: [D100]}
                hybridbox:
                  account_id: 3c90c3cc-0d44-4b50-8888-8dd25736052a
                  service_accounts:
                    - {name: provisioning, token: "hbx_sa_acme_provisioning",
                       permissions: [mailbox.view, mailbox.create, mailbox.update, mailbox.delete,
                                     mailbox.alias.manage, domain.view]}
            """;

    static Stream<Good> goodSeeds() {
        return Stream.of(
                new Good("the demo seed", resource("/demo-seed.yaml"), "1 tenant, 3 users, 1 app \u2014 no errors"),
                new Good("the contract seed", resource("/seeds/contract.yaml"), "3 tenants, 7 users, 6 apps \u2014 no errors"),
                new Good("the benchmark seed", resource("/seeds/bench.yaml"), "1 tenant, 1 user, 1 app \u2014 no errors"),
                new Good("the search benchmark seed", resource("/seeds/bench-search.yaml"), "1 tenant, 0 users, 0 apps \u2014 no errors"),
                new Good("the example of DESIGN.md", DESIGN_EXAMPLE, "1 tenant, 1 user, 1 app \u2014 no errors"),
                new Good("a JSON seed", "{\"tenants\": [{\"key\": \"acme\", \"domains\": [\"acme.test\"],"
                        + " \"users\": [{\"user_id\": \"u1\", \"email\": \"Alice@Acme.test\"}],"
                        + " \"rate_limits\": {\"POST /open-apis/mail/v1/mailgroups\": \"1000/min & 50/s\"}}]}",
                        "1 tenant, 1 user, 0 apps \u2014 no errors"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodSeeds")
    void aGoodSeedPrintsItsSummaryAndTheServerStartsWithIt(Good good) throws Exception {
        Path file = write("seed.yaml", good.text());
        Ran ran = run("check-seed", file.toString());
        assertThat(ran.out()).containsExactly(file + ": " + good.summary());
        assertThat(ran.err()).isEmpty();
        assertThat(ran.exit()).isZero();
        assertThat(serverRefusal(file)).as("the server starts with it").isNull();
    }

    @Test
    void everyProblemOfAFileIsPrintedInTheOrderOfTheFile() throws Exception {
        Path file = write("many.yaml", """
                tenants:
                  - key: acme
                    domains: [acme.test]
                    apps:
                      - {app_id: cli_a, app_secret: s, scopes: [mail:all]}
                    users:
                      - {user_id: u1, email: alice@acme.test, departments: [D1]}
                      - {user_id: u2, email: bob@globex.test, nmae: Bob}
                  - key: globex
                    domains: [globex.test]
                    apps:
                      - {app_id: cli_a}
                """);
        Ran ran = run("check-seed", file.toString());
        assertThat(ran.out()).containsExactly(
                file + ":5:49: tenants[0].apps[0].scopes[0]: unknown scope mail:all (known: " + KNOWN_SCOPES + ")",
                file + ":7:61: tenants[0].users[0].departments[0]: no department D1 in this tenant",
                file + ":8:30: tenants[0].users[1].email: domain globex.test is not a domain of this tenant (acme.test)",
                file + ":8:47: tenants[0].users[1].nmae: unknown field (known: departments, email, name, open_id, union_id, user_id)",
                file + ":12:9: tenants[1].apps[0].app_secret: required field missing",
                file + ":12:18: tenants[1].apps[0].app_id: duplicate app id cli_a (first at tenants[0].apps[0].app_id)",
                file + ": 2 tenants, 2 users, 2 apps \u2014 6 errors");
        assertThat(ran.exit()).isEqualTo(1);
    }

    @Test
    void aFileThatCannotBeReadIsOneLineOnStderrAndExit1() throws Exception {
        Ran missing = run("check-seed", dir.resolve("nowhere.yaml").toString());
        assertThat(missing.err()).containsExactly("mailroom: cannot read seed file " + dir.resolve("nowhere.yaml") + ": no such file");
        assertThat(missing.out()).isEmpty();
        assertThat(missing.exit()).isEqualTo(1);
        Ran directory = run("check-seed", dir.toString());
        assertThat(directory.err()).containsExactly("mailroom: cannot read seed file " + dir + ": not a file");
        assertThat(directory.exit()).isEqualTo(1);
    }

    @Test
    void theSeedCheckSeedPassesIsTheOneTheSeedReaderReads() throws Exception {
        String text = resource("/seeds/contract.yaml");
        SeedFile read = Seeder.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        mailroom.seed.SeedCheck.Result checked = mailroom.seed.SeedCheck.check(text.getBytes(StandardCharsets.UTF_8),
                mailroom.seed.SeedRules.standard());
        assertThat(checked.problems()).isEmpty();
        if (!checked.seed().equals(read)) fail("check-seed read another seed than the reader");
    }
}
