package mailroom.api.feishu;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mailroom.directory.Directory;
import mailroom.directory.PageRequest;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MemberList;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on every issue-2 endpoint — malformed JSON, wrong types, oversized bodies, odd path ids,
 * SQL-looking strings — gets a clear answer in Feishu's format and changes nothing: the whole stored
 * state of the tenant is compared before and after each request.
 */
class FeishuBadInputTest {
    private static final String M = "/open-apis/mail/v1/mailgroups";
    private static final String U = "/open-apis/mail/v1/user_mailboxes";
    private static final String SQL = "' OR 1=1 --";
    private static final String SQL_ADDRESS = "x@acme.test'; DROP TABLE mail_group;--";
    private static final String TEN_MIB = "{\"email\":\"big@acme.test\",\"name\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";

    private static MailroomServer server;
    private static FeishuHttp http;
    private static String gid;
    private static String memberId;
    private static String permissionMemberId;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Backend.SQLITE);
        http = new FeishuHttp(server.port());
        gid = http.call("cli_full", "POST", M, "{\"email\":\"team@acme.test\",\"name\":\"Team\"}").json().at("/data/mailgroup_id").asText();
        http.call("cli_full", "POST", M, "{\"email\":\"other@acme.test\"}");
        memberId = http.call("cli_full", "POST", M + "/" + gid + "/members", "{\"type\":\"USER\",\"user_id\":\"ou_100\"}")
                .json().at("/data/member_id").asText();
        http.call("cli_full", "POST", M + "/" + gid + "/members", "{\"type\":\"MAIL_GROUP\",\"email\":\"other@acme.test\"}");
        permissionMemberId = http.call("cli_full", "POST", M + "/" + gid + "/permission_members", "{\"type\":\"USER\",\"user_id\":\"ou_200\"}")
                .json().at("/data/permission_member_id").asText();
        http.call("cli_full", "POST", M + "/" + gid + "/managers/batch_create", "{\"mailgroup_manager_list\":[{\"user_id\":\"ou_300\"}]}");
        http.call("cli_full", "POST", M + "/" + gid + "/aliases", "{\"email_alias\":\"team-alias@acme.test\"}");
        http.call("cli_full", "POST", U + "/alice@acme.test/aliases", "{\"email_alias\":\"ally@acme.test\"}");
        assertThat(state()).contains("team-alias@acme.test", "ally@acme.test", "ou_300", "ou_200", "other@acme.test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Everything the mail group endpoints store for tenant acme, as one comparable string. */
    private static String state() {
        Directory d = server.directory();
        StringBuilder out = new StringBuilder();
        for (MailGroup g : d.mailGroups().list(as("acme"), null, new PageRequest(null, 1000)).items()) {
            out.append(g).append('\n');
            for (MemberList list : MemberList.values()) {
                d.mailGroups().members(as("acme"), g.id(), list, new PageRequest(null, 1000)).items()
                        .forEach(m -> out.append("  ").append(list).append(' ').append(m).append('\n'));
            }
            d.mailGroups().managers(as("acme"), g.id(), new PageRequest(null, 1000)).items()
                    .forEach(u -> out.append("  manager ").append(u.openId()).append('\n'));
            d.mailGroups().aliases().list(as("acme"), g.id()).forEach(a -> out.append("  alias ").append(a).append('\n'));
        }
        for (String user : List.of("alice@acme.test", "bob@acme.test", "carol@acme.test")) {
            d.mailboxes().aliases().list(as("acme"), user).forEach(a -> out.append(user).append(" alias ").append(a).append('\n'));
        }
        return out.toString();
    }

    /** One bad request and the Feishu answer it must get: HTTP status, code and (for 99992402) the field. */
    record Bad(String name, String method, String path, byte[] body, int status, int code, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Bad bad(String name, String method, String path, String body, int status, int code, String field) {
        return new Bad(name, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, code, field);
    }

    private static Bad fieldError(String name, String method, String path, String body, String field) {
        return bad(name, method, path, body, 400, 99992402, field);
    }

    static Stream<Arguments> badRequests() {
        String g = "{{gid}}";
        List<Bad> all = new ArrayList<>();
        // Malformed JSON on every endpoint that reads a body.
        String[][] bodyEndpoints = {
                {"POST", M}, {"PATCH", M + "/" + g}, {"PUT", M + "/" + g},
                {"POST", M + "/" + g + "/members"}, {"POST", M + "/" + g + "/members/batch_create"},
                {"DELETE", M + "/" + g + "/members/batch_delete"},
                {"POST", M + "/" + g + "/managers/batch_create"}, {"POST", M + "/" + g + "/managers/batch_delete"},
                {"POST", M + "/" + g + "/aliases"},
                {"POST", M + "/" + g + "/permission_members"}, {"POST", M + "/" + g + "/permission_members/batch_create"},
                {"DELETE", M + "/" + g + "/permission_members/batch_delete"},
                {"POST", U + "/alice@acme.test/aliases"}};
        for (String[] e : bodyEndpoints) {
            all.add(fieldError("malformed JSON " + e[0] + " " + e[1], e[0], e[1], "{\"email\": ", "body"));
            all.add(fieldError("JSON array " + e[0] + " " + e[1], e[0], e[1], "[]", "body"));
            all.add(fieldError("trailing garbage " + e[0] + " " + e[1], e[0], e[1], "{} x", "body"));
            all.add(fieldError("10 MiB body " + e[0] + " " + e[1], e[0], e[1], TEN_MIB, "body"));
            all.add(fieldError("nesting 100000 deep " + e[0] + " " + e[1], e[0], e[1], "{\"a\":" + "[".repeat(100_000), "body"));
            all.add(new Bad("invalid UTF-8 " + e[0] + " " + e[1], e[0], e[1],
                    new byte[]{'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 400, 99992402, "body"));
        }
        // Wrong JSON types.
        all.add(fieldError("email a number", "POST", M, "{\"email\": 1}", "email"));
        all.add(fieldError("name an object", "PATCH", M + "/" + g, "{\"name\": {\"x\": 1}}", "name"));
        all.add(fieldError("who_can_send_mail an array", "PUT", M + "/" + g, "{\"who_can_send_mail\": [\"ANYONE\"]}", "who_can_send_mail"));
        all.add(fieldError("member type a boolean", "POST", M + "/" + g + "/members", "{\"type\": true}", "type"));
        all.add(fieldError("items an object", "POST", M + "/" + g + "/members/batch_create", "{\"items\": {}}", "items"));
        all.add(fieldError("items element a number", "POST", M + "/" + g + "/permission_members/batch_create", "{\"items\": [7]}", "items[0]"));
        all.add(fieldError("member_id_list a string", "DELETE", M + "/" + g + "/members/batch_delete", "{\"member_id_list\": \"x\"}", "member_id_list"));
        all.add(fieldError("permission_member_id_list of numbers", "DELETE", M + "/" + g + "/permission_members/batch_delete",
                "{\"permission_member_id_list\": [1, 2]}", "permission_member_id_list[0]"));
        all.add(fieldError("manager user_id a number", "POST", M + "/" + g + "/managers/batch_delete",
                "{\"mailgroup_manager_list\": [{\"user_id\": 300}]}", "mailgroup_manager_list[0].user_id"));
        all.add(fieldError("email_alias a float", "POST", M + "/" + g + "/aliases", "{\"email_alias\": 1.5}", "email_alias"));
        all.add(fieldError("user email_alias null-ish object", "POST", U + "/alice@acme.test/aliases", "{\"email_alias\": {}}", "email_alias"));
        // Batch sizes and query parameters.
        all.add(fieldError("empty batch", "POST", M + "/" + g + "/members/batch_create", "{\"items\": []}", "items"));
        all.add(fieldError("empty batch_delete", "DELETE", M + "/" + g + "/members/batch_delete", "{}", "member_id_list"));
        all.add(fieldError("page_size huge", "GET", M + "?page_size=99999999999999999999", null, "page_size"));
        all.add(fieldError("page_token SQL", "GET", M + "/" + g + "/members?page_token=%27%20OR%201%3D1%20--", null, "page_token"));
        all.add(fieldError("user_id_type SQL", "GET", M + "/" + g + "/managers?user_id_type=%27%20OR%201%3D1%20--", null, "user_id_type"));
        all.add(fieldError("department_id_type SQL", "GET", M + "/" + g + "/members?department_id_type=%27", null, "department_id_type"));
        // SQL-looking strings where values go.
        all.add(bad("SQL address on create", "POST", M, "{\"email\": \"" + SQL_ADDRESS + "\"}", 400, 1234008, null));
        all.add(bad("SQL address on patch", "PATCH", M + "/" + g, "{\"email\": \"" + SQL + "\"}", 400, 1234008, null));
        all.add(bad("SQL user id", "POST", M + "/" + g + "/members", "{\"type\": \"USER\", \"user_id\": \"" + SQL + "\"}", 400, 1234008, null));
        all.add(bad("SQL department id", "POST", M + "/" + g + "/permission_members",
                "{\"type\": \"DEPARTMENT\", \"department_id\": \"" + SQL + "\"}", 400, 1234008, null));
        all.add(bad("SQL member type", "POST", M + "/" + g + "/members", "{\"type\": \"" + SQL + "\"}", 400, 1234008, null));
        all.add(bad("SQL manager", "POST", M + "/" + g + "/managers/batch_create", "{\"mailgroup_manager_list\": [{\"user_id\": \"" + SQL + "\"}]}",
                400, 1234008, null));
        all.add(bad("SQL alias", "POST", M + "/" + g + "/aliases", "{\"email_alias\": \"" + SQL_ADDRESS + "\"}", 400, 1234008, null));
        all.add(bad("SQL user alias", "POST", U + "/alice@acme.test/aliases", "{\"email_alias\": \"" + SQL_ADDRESS + "\"}", 400, 1234008, null));
        all.add(bad("SQL member ids in batch_delete", "DELETE", M + "/" + g + "/members/batch_delete",
                "{\"member_id_list\": [\"" + SQL + "\"]}", 404, 1234014, null));
        all.add(bad("SQL permission member ids", "DELETE", M + "/" + g + "/permission_members/batch_delete",
                "{\"permission_member_id_list\": [\"{{pmid}}\", \"" + SQL + "\"]}", 404, 1234015, null));
        // Odd path ids on every kind of path id.
        String[] odd = {"x".repeat(3000), "%00", "team%00@acme.test", "%2e%2e", "%C3%A9quipe@acme.test", "team%20@acme.test%20x",
                "%27%20OR%201%3D1%20--", "x@acme.test%27%3B%20DROP%20TABLE%20mail_group%3B--", "%F0%9F%98%80", "%25", "%22%7D"};
        for (String id : odd) {
            String shortId = id.length() > 40 ? id.substring(0, 20) + "…(" + id.length() + ")" : id;
            // An id with NUL is refused as such (PostgreSQL cannot even compare it); any other odd id is "not found".
            boolean nul = id.contains("%00");
            all.add(odd("group id " + shortId + " GET", "GET", M + "/" + id, null, nul, 404, 1234013, "mailgroup_id"));
            all.add(odd("group id " + shortId + " DELETE", "DELETE", M + "/" + id, null, nul, 404, 1234013, "mailgroup_id"));
            all.add(odd("group id " + shortId + " PUT", "PUT", M + "/" + id, "{\"name\": \"x\"}", nul, 404, 1234013, "mailgroup_id"));
            all.add(odd("group id " + shortId + " managers", "POST", M + "/" + id + "/managers/batch_create",
                    "{\"mailgroup_manager_list\": [{\"user_id\": \"ou_100\"}]}", nul, 200, 1234013, "mailgroup_id"));
            all.add(odd("member id " + shortId, "DELETE", M + "/" + g + "/members/" + id, null, nul, 404, 1234014, "member_id"));
            all.add(odd("permission member id " + shortId, "DELETE", M + "/" + g + "/permission_members/" + id, null, nul,
                    404, 1234015, "permission_member_id"));
            all.add(odd("alias id " + shortId, "DELETE", M + "/" + g + "/aliases/" + id, null, nul, 404, 1234012, "alias_id"));
            all.add(odd("user mailbox id " + shortId, "POST", U + "/" + id + "/aliases", "{\"email_alias\": \"new@acme.test\"}",
                    nul, 404, 1235013, "user_mailbox_id"));
            all.add(odd("user alias id " + shortId, "DELETE", U + "/alice@acme.test/aliases/" + id, null, nul, 404, 1234012, "alias_id"));
        }
        return all.stream().map(Arguments::of);
    }

    /** An odd path id: refused with 99992402 naming the path parameter when it holds NUL, else the endpoint's not-found. */
    private static Bad odd(String name, String method, String path, String body, boolean nul, int status, int code,
                           String pathParameter) {
        return nul ? bad(name, method, path, body, 400, 99992402, pathParameter) : bad(name, method, path, body, status, code, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAFeishuErrorAndChangesNothing(Bad bad) throws Exception {
        String before = state();
        String path = bad.path().replace("{{gid}}", gid);
        byte[] body = bad.body() == null ? null
                : new String(bad.body(), StandardCharsets.ISO_8859_1).replace("{{pmid}}", permissionMemberId).getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> r = send(bad.method(), path, body);

        assertThat(r.statusCode()).as("status, body %.300s", r.body()).isEqualTo(bad.status());
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        JsonNode json = FeishuHttp.JSON.readTree(r.body());
        assertThat(json.get("code").asInt()).as("code, body %.300s", r.body()).isEqualTo(bad.code());
        assertThat(json.get("msg").asText()).isNotBlank();
        assertThat(json.at("/error/log_id").asText()).isEqualTo(r.headers().firstValue("x-tt-logid").orElseThrow());
        if (bad.field() != null) {
            assertThat(json.at("/error/field_violations/0/field").asText()).isEqualTo(bad.field());
            assertThat(json.at("/error/field_violations/0/description").asText()).isNotBlank();
        } else {
            assertThat(json.at("/error/message").asText()).isNotBlank();
        }
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
        assertThat(state()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void aRequestLineBeyondTheHttpLimitIsRefusedWith414BeforeAnyDoorAndChangesNothing() throws Exception {
        String before = state();
        HttpResponse<String> r = send("DELETE", M + "/" + "x".repeat(mailroom.server.MailroomServer.MAX_REQUEST_LINE), null);
        assertThat(r.statusCode()).isEqualTo(414);
        assertThat(state()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void aTenThousandCharacterIdIsAnsweredInFeishuFormatAndChangesNothing() throws Exception {
        String before = state();
        HttpResponse<String> r = send("DELETE", M + "/" + "x".repeat(10_000), null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(FeishuHttp.JSON.readTree(r.body()).get("code").asInt()).isEqualTo(1234013);
        assertThat(state()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdkStyleBodies")
    void readOnlyAndUnknownFieldsAreIgnored(String name, String method, String path, String body, String expectedPointer, String expected) {
        FeishuHttp.Response r = http.call("cli_full", method, path.replace("{{gid}}", gid), body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("code").asInt()).isZero();
        assertThat(r.json().at(expectedPointer).asText()).isEqualTo(expected);
    }

    static Stream<Arguments> sdkStyleBodies() {
        return Stream.of(
                Arguments.of("mail group create with every read-only field", "POST", M,
                        "{\"email\":\"ro@acme.test\",\"mailgroup_id\":\"forged\",\"direct_members_count\":\"9\",\"include_external_member\":true,"
                                + "\"include_all_company_member\":true,\"extra\":{\"nested\":[1,2]},\"name\":\"RO\"}", "/data/direct_members_count", "0"),
                Arguments.of("patch with read-only fields of other JSON types", "PATCH", M + "/ro@acme.test",
                        "{\"direct_members_count\":9,\"include_external_member\":\"yes\",\"name\":\"RO2\"}", "/data/name", "RO2"),
                Arguments.of("member with member_id", "POST", M + "/ro@acme.test/members",
                        "{\"member_id\":7,\"type\":\"COMPANY\",\"unknown\":null}", "/data/type", "COMPANY"),
                Arguments.of("permission member with permission_member_id", "POST", M + "/ro@acme.test/permission_members",
                        "{\"permission_member_id\":{\"x\":1},\"type\":\"USER\",\"user_id\":\"ou_100\"}", "/data/user_id", "ou_100"),
                Arguments.of("alias with primary_email", "POST", M + "/ro@acme.test/aliases",
                        "{\"primary_email\":\"alice@acme.test\",\"email_alias\":\"ro2@acme.test\"}", "/data/mailgroup_alias/primary_email", "ro@acme.test"),
                Arguments.of("user alias with primary_email", "POST", U + "/bob@acme.test/aliases",
                        "{\"primary_email\":\"alice@acme.test\",\"email_alias\":\"bobby@acme.test\"}",
                        "/data/user_mailbox_alias/primary_email", "bob@acme.test"));
    }

    private static HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + path))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + http.token("cli_full"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
