package mailroom.api.hybridbox;

import static mailroom.testing.HybridboxHttp.*;
import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import mailroom.directory.Change;
import mailroom.directory.address.AddressKind;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bulk creation on both backends: per-item outcomes, what is stored, the mailbox limit and the item-count bounds. */
class HybridboxBulkTest {
    static ObjectNode body(String domain, List<String[]> items) {
        ObjectNode body = FeishuHttp.JSON.createObjectNode().put("domain", domain);
        ArrayNode array = body.putArray("items");
        for (String[] i : items) array.addObject().put("first_name", i[0]).put("last_name", i[1]).put("local_part", i[2]);
        return body;
    }

    static Map<Integer, String> failedCodes(JsonNode answer) {
        Map<Integer, String> out = new TreeMap<>();
        answer.get("failed").forEach(f -> out.put(f.get("index").asInt(), f.get("code").asText()));
        return out;
    }

    static Map<Integer, String> createdEmails(JsonNode answer) {
        Map<Integer, String> out = new TreeMap<>();
        answer.get("created").forEach(c -> out.put(c.get("index").asInt(), c.get("mailbox").get("primary_email").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void mixedItemsLandInTheRightListWithTheRightCodeAndOnlyCreatedOnesAreStored(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            List<String[]> items = List.of(
                    new String[]{"Ann", "A", "ann"},            // 0 created
                    new String[]{"Bad", "B", "bad local"},      // 1 invalid_local_part
                    new String[]{"Ann", "Again", "ANN"},        // 2 duplicate_in_request (of 0)
                    new String[]{"Alice", "L", "alice"},        // 3 address_taken (a Feishu user's mailbox)
                    new String[]{"Cy\u0007", "C", "cy"},        // 4 invalid_name
                    new String[]{"Dee", "D", "dee"},            // 5 created
                    new String[]{"Eve", "E", ""},               // 6 invalid_local_part
                    new String[]{"Dee", "D", "dee"});           // 7 duplicate_in_request (of 5)
            FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACME, "/mailboxes/bulk"),
                    body("acme.test", items).toString());
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            JsonNode answer = r.json();
            assertThat(createdEmails(answer)).isEqualTo(Map.of(0, "ann@acme.test", 5, "dee@acme.test"));
            assertThat(failedCodes(answer)).isEqualTo(Map.of(1, "invalid_local_part", 2, "duplicate_in_request",
                    3, "address_taken", 4, "invalid_name", 6, "invalid_local_part", 7, "duplicate_in_request"));
            assertThat(answer.toString()).doesNotContain("password");

            var directory = server.directory();
            assertThat(directory.mailboxes().deliveryTarget("ann@acme.test")).get()
                    .satisfies(e -> assertThat(e.kind()).isEqualTo(AddressKind.USER_MAILBOX));
            assertThat(directory.mailboxes().deliveryTarget("dee@acme.test")).isPresent();
            for (String absent : List.of("cy@acme.test", "bad local@acme.test")) {
                assertThat(directory.mailboxes().deliveryTarget(absent)).as(absent).isEmpty();
            }
            var listed = directory.mailboxes().list(as("acme"), "acme.test", null, null, 1, 100).items().stream()
                    .map(v -> v.mailbox().email()).toList();
            assertThat(listed).containsExactly("alice@acme.test", "bob@acme.test", "carol@acme.test", "ann@acme.test",
                    "dee@acme.test");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void itemsBeyondTheAccountsMailboxLimitFailWithLimitReached(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            // tiny: user_mailboxes 5, and tom and tess already have theirs, so three more fit
            HybridboxHttp http = new HybridboxHttp(server.port());
            List<String[]> items = List.of(new String[]{"A", "A", "a1"}, new String[]{"B", "B", "b..1"},
                    new String[]{"C", "C", "c1"}, new String[]{"D", "D", "d1"}, new String[]{"E", "E", "e1"},
                    new String[]{"F", "F", "f1"});
            JsonNode answer = http.call(TINY_PROVISIONING, "POST", path(TINY, "/mailboxes/bulk"),
                    body("tiny.test", items).toString()).json();
            assertThat(createdEmails(answer).keySet()).containsExactly(0, 2, 3);
            assertThat(failedCodes(answer)).isEqualTo(Map.of(1, "invalid_local_part", 4, "limit_reached", 5, "limit_reached"));
            assertThat(answer.get("failed").get(1).get("message").asText())
                    .isEqualTo("the account has reached its limit of 5 mailboxes");

            FeishuHttp.Response single = http.call(TINY_PROVISIONING, "POST", path(TINY, "/mailboxes"),
                    "{\"domain\":\"tiny.test\",\"first_name\":\"G\",\"last_name\":\"G\",\"local_part\":\"g1\"}");
            assertThat(single.status()).isEqualTo(409);
            assertThat(single.json().get("detail").asText()).isEqualTo("the account has reached its limit of 5 mailboxes");

            // a mailbox in the recycle bin no longer counts against the limit
            assertThat(http.call(TINY_PROVISIONING, "DELETE", path(TINY, "/mailboxes/a1@tiny.test"), null).status())
                    .isEqualTo(204);
            assertThat(http.call(TINY_PROVISIONING, "POST", path(TINY, "/mailboxes"),
                    "{\"domain\":\"tiny.test\",\"first_name\":\"G\",\"last_name\":\"G\",\"local_part\":\"g1\"}").status())
                    .isEqualTo(201);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aThousandItemBulkRequestSucceeds(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            List<String[]> items = new ArrayList<>();
            for (int i = 0; i < 1000; i++) items.add(new String[]{"First" + i, "Last" + i, "user" + i});
            String body = body("acme-mail.test", items).toString();
            long started = System.nanoTime();
            FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACME, "/mailboxes/bulk"), body);
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("1000-item bulk create on %s: %d ms, %d response bytes%n", backend, millis, r.text().length());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("created")).hasSize(1000);
            assertThat(r.json().get("failed")).isEmpty();
            assertThat(server.directory().mailboxes().list(as("acme"), "acme-mail.test", null, null, 1, 1).total())
                    .isEqualTo(1000);

            // The rows go in by several multi-row statements: the creation order is still the request's, across
            // their boundaries, in the list (by sequence number) and in the journal (one entry each, numbered in turn).
            List<String> expected = new ArrayList<>();
            List<String> createdIds = new ArrayList<>();
            for (int i = 0; i < 1000; i++) expected.add("user" + i + "@acme-mail.test");
            for (JsonNode c : r.json().get("created")) createdIds.add(c.get("mailbox").get("id").asText());
            List<String> listed = new ArrayList<>();
            List<String> listedIds = new ArrayList<>();
            for (int page = 1; page <= 10; page++) {
                for (var view : server.directory().mailboxes().list(as("acme"), "acme-mail.test", null, null, page, 100).items()) {
                    listed.add(view.mailbox().email());
                    listedIds.add(view.mailbox().id());
                }
            }
            assertThat(listed).isEqualTo(expected);
            assertThat(listedIds).isEqualTo(createdIds);
            List<Change.Entry> journal = server.directory().journal().after(0, 100_000);
            List<Change.Entry> last = journal.subList(journal.size() - 1000, journal.size());
            assertThat(last).extracting(e -> e.change().objectId()).isEqualTo(createdIds);
            assertThat(last).extracting(e -> e.change().op()).containsOnly(Change.Op.CREATE);
            assertThat(last.get(999).seq() - last.get(0).seq()).isEqualTo(999);
            // Time-ordered ids (version 7): made in turn, they sort in turn, as the indexes on them need.
            assertThat(createdIds).allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
            assertThat(createdIds.stream().map(id -> id.substring(0, 13)).toList()).isSorted();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void moreThanAThousandItemsRefusesTheWholeRequest(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            List<String[]> items = new ArrayList<>();
            for (int i = 0; i < 1001; i++) items.add(new String[]{"F", "L", "user" + i});
            FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACME, "/mailboxes/bulk"),
                    body("acme-mail.test", items).toString());
            assertThat(r.status()).isEqualTo(422);
            JsonNode error = r.json().get("detail").get(0);
            assertThat(error.get("type").asText()).isEqualTo("too_long");
            assertThat(error.get("msg").asText()).isEqualTo("List should have at most 1000 items after validation, not 1001");
            assertThat(error.get("loc").toString()).isEqualTo("[\"body\",\"items\"]");
            assertThat(server.directory().mailboxes().list(as("acme"), "acme-mail.test", null, null, 1, 1).total()).isZero();
        }
    }
}
