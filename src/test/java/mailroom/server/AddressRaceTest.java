package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.*;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.Together;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The namespace under contention, over real HTTP: 32 threads released together claim the same few
 * addresses as new groups, renamed groups, group aliases and user aliases. Each address must end with
 * exactly one owner, every loser must get the documented conflict code, and nothing may answer 500.
 * Two neighbours of that race too: a delete against adds of the same group as a member, and a rename
 * that frees an address while others claim it.
 */
class AddressRaceTest {
    static final int THREADS = 32;
    static final int ROUNDS = 6;
    static final String GROUPS = "/open-apis/mail/v1/mailgroups";
    static final List<String> USERS = List.of("alice@acme.test", "bob@acme.test", "carol@acme.test");

    /** How a thread tries to claim its address. */
    enum Role { CREATE_GROUP, RENAME_GROUP, GROUP_ALIAS, USER_ALIAS;

        boolean claimsAlias() {
            return this == GROUP_ALIAS || this == USER_ALIAS;
        }
    }

    /** One contender: which address, how, on which owner; and what the server answered. */
    record Attempt(int thread, String address, Role role, String owner, int status, int code, String text) {}

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingClaimsOnTheSameAddressesHaveExactlyOneWinnerEachAndNeverA500(Backend backend) throws Exception {
        try (MailroomServer server = TestServers.start(backend)) {
            Race race = new Race(new FeishuHttp(server.port()));
            for (int round = 0; round < ROUNDS; round++) race.round(round);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deletingAGroupWhileOthersAddItAsAMemberLeavesNoMembershipOfTheDeletedGroup(Backend backend) throws Exception {
        try (MailroomServer server = TestServers.start(backend)) {
            Race race = new Race(new FeishuHttp(server.port()));
            for (int round = 0; round < ROUNDS; round++) {
                String targetEmail = "target" + round + "@acme.test";
                String target = race.createGroup(targetEmail);
                List<String> parents = new ArrayList<>();
                for (int i = 0; i < THREADS - 1; i++) parents.add(race.createGroup("parent" + round + "-" + i + "@acme.test"));
                List<Callable<FeishuHttp.Response>> calls = new ArrayList<>();
                calls.add(() -> race.send("DELETE", GROUPS + "/" + target, null));
                for (String parent : parents) {
                    calls.add(() -> race.send("POST", GROUPS + "/" + parent + "/members",
                            "{\"type\":\"MAIL_GROUP\",\"email\":\"" + targetEmail + "\"}"));
                }

                List<FeishuHttp.Response> answers = Together.run(calls);

                assertThat(answers.get(0).status()).as(answers.get(0).text()).isEqualTo(200);
                for (FeishuHttp.Response r : answers.subList(1, answers.size())) {
                    assertThat(r.status()).as(r.text()).isIn(200, 400);
                    assertThat(r.json().get("code").asInt()).as(r.text()).isIn(0, 1234008);
                }
                for (String parent : parents) {
                    FeishuHttp.Response members = race.send("GET", GROUPS + "/" + parent + "/members", null);
                    assertThat(members.json().at("/data/items")).as("members of %s after the delete", parent).isEmpty();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deletingAGroupWhileOthersAddItsAliasesMembersAndManagersLeavesNothingBehindAndNeverA500(Backend backend)
            throws Exception {
        try (MailroomServer server = TestServers.start(backend)) {
            Race race = new Race(new FeishuHttp(server.port()));
            for (int round = 0; round < ROUNDS; round++) {
                String email = "doomed" + round + "@acme.test";
                String group = race.createGroup(email);
                List<Callable<FeishuHttp.Response>> calls = new ArrayList<>();
                calls.add(() -> race.send("DELETE", GROUPS + "/" + group, null));
                List<String> aliases = new ArrayList<>();
                for (int i = 0; i < THREADS - 1; i++) {
                    String alias = "doomed" + round + "-alias" + i + "@acme-mail.test";
                    // at most 8 aliases: the acme tenant allows 10 per address, and the delete may well run last
                    switch (i % 4) {
                        case 0 -> {
                            aliases.add(alias);
                            calls.add(() -> race.send("POST", GROUPS + "/" + group + "/aliases",
                                    "{\"email_alias\":\"" + alias + "\"}"));
                        }
                        case 1, 2 -> calls.add(() -> race.send("POST", GROUPS + "/" + group + "/members",
                                "{\"type\":\"EXTERNAL_USER\",\"email\":\"x" + alias.replace("@acme-mail.test", "@outside.org") + "\"}"));
                        default -> calls.add(() -> race.send("POST", GROUPS + "/" + group + "/managers/batch_create",
                                "{\"mailgroup_manager_list\":[{\"user_id\":\"ou_100\"}]}"));
                    }
                }

                List<FeishuHttp.Response> answers = Together.run(calls);

                assertThat(answers.get(0).status()).as(answers.get(0).text()).isEqualTo(200);
                for (FeishuHttp.Response r : answers.subList(1, answers.size())) {
                    assertThat(r.json().get("code").asInt()).as(r.text()).isIn(0, 1234013);
                }
                // every alias that was acknowledged went down with the group: the address is free again
                FeishuHttp.Response query = race.send("POST", "/open-apis/mail/v1/users/query",
                        "{\"email_list\":[" + String.join(",", aliases.stream().map(a -> "\"" + a + "\"").toList()) + "]}");
                for (var user : query.json().at("/data/user_list")) {
                    assertThat(user.get("status").asInt()).as("%s after its group was deleted", user).isEqualTo(3);
                }
                FeishuHttp.Response again = race.send("POST", GROUPS, "{\"email\":\"" + aliases.get(0) + "\"}");
                assertThat(again.json().get("code").asInt()).as(again.text()).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAddressFreedByARenameWhileOthersClaimItGetsAtMostOneNewOwnerAndNoError(Backend backend) throws Exception {
        try (MailroomServer server = TestServers.start(backend)) {
            Race race = new Race(new FeishuHttp(server.port()));
            for (int round = 0; round < 4 * ROUNDS; round++) {
                String freed = "freed" + round + "@acme.test";
                String group = race.createGroup(freed);
                List<Callable<FeishuHttp.Response>> calls = new ArrayList<>();
                calls.add(() -> race.send("PATCH", GROUPS + "/" + group, "{\"email\":\"moved" + freed + "\"}"));
                for (int t = 1; t < THREADS / 2; t++) {
                    calls.add(t % 2 == 0 ? () -> race.send("POST", GROUPS, "{\"email\":\"" + freed + "\"}")
                            : () -> race.send("POST", "/open-apis/mail/v1/user_mailboxes/carol@acme.test/aliases",
                            "{\"email_alias\":\"" + freed + "\"}"));
                }

                List<FeishuHttp.Response> answers = Together.run(calls);

                assertThat(answers.get(0).status()).as(answers.get(0).text()).isEqualTo(200);
                List<FeishuHttp.Response> claims = answers.subList(1, answers.size());
                assertThat(claims).filteredOn(r -> r.status() == 200).hasSizeLessThanOrEqualTo(1);
                boolean aliasWon = claims.stream().anyMatch(r -> r.status() == 200 && r.text().contains("user_mailbox_alias"));
                for (int i = 0; i < claims.size(); i++) {
                    FeishuHttp.Response r = claims.get(i);
                    boolean aliasClaim = (i + 1) % 2 == 1;
                    assertThat(r.status()).as(r.text()).isIn(200, 409);
                    if (r.status() == 200) continue;
                    // before the rename commits the group still owns the address (1234006); after it, the
                    // one new owner decides: an alias claimer losing to an alias gets 1235002
                    if (aliasClaim && aliasWon) assertThat(r.json().get("code").asInt()).as(r.text()).isIn(1234006, 1235002);
                    else assertThat(r.json().get("code").asInt()).as(r.text()).isEqualTo(1234006);
                }
                assertThat(race.send("GET", GROUPS + "/moved" + freed, null).json().at("/data/mailgroup_id").asText())
                        .isEqualTo(group);
                boolean groupOwnsIt = race.send("GET", GROUPS + "/" + freed, null).status() == 200;
                List<String> carolsAliases = race.send("GET", "/open-apis/mail/v1/user_mailboxes/carol@acme.test/aliases", null)
                        .json().at("/data/items").findValuesAsText("email_alias");
                boolean someoneWon = claims.stream().anyMatch(r -> r.status() == 200);
                assertThat((groupOwnsIt ? 1 : 0) + (carolsAliases.contains(freed) ? 1 : 0)).isEqualTo(someoneWon ? 1 : 0);
                assertThat(carolsAliases.contains(freed)).isEqualTo(aliasWon);
                for (String alias : carolsAliases) {
                    race.send("DELETE", "/open-apis/mail/v1/user_mailboxes/carol@acme.test/aliases/" + alias, null);
                }
            }
        }
    }

    /** State shared by the rounds of one server. */
    static final class Race {
        final FeishuHttp http;
        final String auth;

        Race(FeishuHttp http) {
            this.http = http;
            this.auth = "Bearer " + http.token("cli_full");
        }

        FeishuHttp.Response send(String method, String path, String body) {
            return http.send(method, path, auth, body);
        }

        String createGroup(String email) {
            FeishuHttp.Response r = send("POST", GROUPS, "{\"email\":\"" + email + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            return r.json().at("/data/mailgroup_id").asText();
        }

        void round(int round) throws Exception {
            // Three fresh addresses, plus Bob's login account which nobody may take.
            List<String> addresses = List.of("race" + round + "a@acme.test", "race" + round + "b@acme.test",
                    "race" + round + "c@acme-mail.test", "bob@acme.test");
            List<String> aliasOwners = new ArrayList<>();
            for (int i = 0; i < 4; i++) aliasOwners.add(createGroup("owner" + round + "-" + i + "@acme.test"));
            Map<Integer, String> movers = new HashMap<>();
            List<Attempt> plan = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String address = addresses.get(t % addresses.size());
                Role role = Role.values()[(t / addresses.size()) % Role.values().length];
                String owner = switch (role) {
                    case CREATE_GROUP -> null;
                    case RENAME_GROUP -> movers.computeIfAbsent(t, x -> createGroup("mover" + round + "-" + x + "@acme.test"));
                    case GROUP_ALIAS -> aliasOwners.get(t % aliasOwners.size());
                    case USER_ALIAS -> USERS.get(t % USERS.size());
                };
                plan.add(new Attempt(t, address, role, owner, 0, 0, null));
            }

            List<Attempt> results = runTogether(plan);

            assertThat(results).as("no request may fail unexpectedly").allSatisfy(a -> {
                assertThat(a.status()).as(a.toString()).isIn(200, 409);
                assertThat(a.text()).doesNotContain("Internal Error");
            });
            Map<String, String> owners = owners(addresses);
            for (String address : addresses) {
                List<Attempt> contenders = results.stream().filter(a -> a.address().equals(address)).toList();
                List<Attempt> winners = contenders.stream().filter(a -> a.status() == 200).toList();
                if (address.equals("bob@acme.test")) {
                    assertThat(winners).as("nobody takes a login account").isEmpty();
                    assertThat(contenders).allSatisfy(a -> assertThat(a.code()).as(a.toString()).isEqualTo(1234033));
                    assertThat(owners).doesNotContainKey(address);
                    continue;
                }
                assertThat(winners).as("exactly one winner for %s in %s", address, contenders).hasSize(1);
                Attempt winner = winners.get(0);
                assertThat(winner.code()).isZero();
                for (Attempt loser : contenders) {
                    if (loser == winner) continue;
                    int expected = loser.role().claimsAlias() && winner.role().claimsAlias() ? 1235002 : 1234006;
                    assertThat(loser.code()).as("%s lost to %s", loser, winner).isEqualTo(expected);
                }
                String expectedOwner = switch (winner.role()) {
                    case CREATE_GROUP -> "group";
                    case RENAME_GROUP -> "group " + winner.owner();
                    case GROUP_ALIAS -> "alias of group " + winner.owner();
                    case USER_ALIAS -> "alias of user " + winner.owner();
                };
                assertThat(owners.get(address)).as("stored owner of %s", address).startsWith(expectedOwner);
            }
            // User aliases would otherwise pile up towards the per-address limit over the rounds.
            for (String user : USERS) {
                for (JsonNode alias : send("GET", "/open-apis/mail/v1/user_mailboxes/" + user + "/aliases", null)
                        .json().at("/data/items")) {
                    assertThat(send("DELETE", "/open-apis/mail/v1/user_mailboxes/" + user + "/aliases/"
                            + alias.get("email_alias").asText(), null).status()).isEqualTo(200);
                }
            }
        }

        /** Sends every attempt from its own thread, all released together. */
        List<Attempt> runTogether(List<Attempt> plan) throws Exception {
            List<Callable<Attempt>> calls = new ArrayList<>();
            for (Attempt a : plan) {
                calls.add(() -> {
                    String body = "{\"" + (a.role().claimsAlias() ? "email_alias" : "email") + "\":\"" + a.address() + "\"}";
                    FeishuHttp.Response r = switch (a.role()) {
                        case CREATE_GROUP -> send("POST", GROUPS, body);
                        case RENAME_GROUP -> send("PATCH", GROUPS + "/" + a.owner(), body);
                        case GROUP_ALIAS -> send("POST", GROUPS + "/" + a.owner() + "/aliases", body);
                        case USER_ALIAS -> send("POST", "/open-apis/mail/v1/user_mailboxes/" + a.owner() + "/aliases", body);
                    };
                    int code = r.text().startsWith("{") ? r.json().path("code").asInt(-1) : -1;
                    return new Attempt(a.thread(), a.address(), a.role(), a.owner(), r.status(), code, r.text());
                });
            }
            return Together.run(calls);
        }

        /**
         * Who the listing endpoints say owns each of the addresses; fails if any address shows up
         * under two owners anywhere in the tenant.
         */
        Map<String, String> owners(List<String> addresses) {
            Map<String, List<String>> seen = new HashMap<>();
            String pageToken = null;
            List<JsonNode> groups = new ArrayList<>();
            do {
                JsonNode data = send("GET", GROUPS + "?page_size=200" + (pageToken == null ? "" : "&page_token=" + pageToken), null)
                        .json().get("data");
                data.get("items").forEach(groups::add);
                pageToken = data.path("has_more").asBoolean() ? data.get("page_token").asText() : null;
            } while (pageToken != null);
            for (JsonNode g : groups) {
                String id = g.get("mailgroup_id").asText();
                seen.computeIfAbsent(g.get("email").asText(), k -> new ArrayList<>()).add("group " + id);
                for (JsonNode alias : send("GET", GROUPS + "/" + id + "/aliases", null).json().at("/data/items")) {
                    seen.computeIfAbsent(alias.get("email_alias").asText(), k -> new ArrayList<>()).add("alias of group " + id);
                }
            }
            for (String user : USERS) {
                for (JsonNode alias : send("GET", "/open-apis/mail/v1/user_mailboxes/" + user + "/aliases", null)
                        .json().at("/data/items")) {
                    seen.computeIfAbsent(alias.get("email_alias").asText(), k -> new ArrayList<>()).add("alias of user " + user);
                }
            }
            Map<String, String> out = new HashMap<>();
            for (String address : addresses) {
                List<String> owners = seen.getOrDefault(address, List.of());
                assertThat(owners).as("owners of %s", address).hasSizeLessThanOrEqualTo(1);
                if (!owners.isEmpty()) out.put(address, owners.get(0));
            }
            seen.forEach((address, owners) -> assertThat(owners).as("owners of %s", address).hasSize(1));
            return out;
        }
    }
}
