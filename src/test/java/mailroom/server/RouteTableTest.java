package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mailroom.http.RouteSpec;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checked-in route table ({@code src/test/resources/routes.txt}: one route per line, columns door,
 * method, path template, required scopes (any of, "|") or capability, documented rate; "-" for none)
 * must equal what the running server registers, door by door, and every listed Feishu route must really
 * be routed: it answers a JSON envelope with a {@code code}, never the plain-text
 * {@code 404 page not found} that unknown paths get.
 *
 * <p>After adding or changing routes, regenerate the file and review its diff:
 * <pre>mvn -o test -Dtest=RouteTableTest -Droutes.update=true</pre>
 */
class RouteTableTest {
    static final Path ROUTES_FILE = Path.of("src/test/resources/routes.txt");
    static final String REGENERATE = "regenerate src/test/resources/routes.txt with "
            + "mvn -o test -Dtest=RouteTableTest -Droutes.update=true and review its diff";

    static MailroomServer server;
    static FeishuHttp http;

    @BeforeAll
    static void start() {
        // In sandbox mode, so that the table lists the sandbox controls too (a server without --sandbox has none of them).
        server = MailroomServer.start(TestServers.options(Backend.SQLITE, null).withSandbox(true));
        http = new FeishuHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> registered() {
        return server.feishu().describeRoutes();
    }

    /** The table as text: a comment naming the columns, then one aligned line per route. */
    static String render(List<RouteSpec> routes) {
        int[] width = new int[4];
        for (RouteSpec r : routes) {
            String[] cells = {r.door(), r.method(), r.path(), r.auth()};
            for (int i = 0; i < 4; i++) width[i] = Math.max(width[i], cells[i].length());
        }
        StringBuilder out = new StringBuilder("# door, method, path, scopes (any of, |) or capability, documented rate; - = none\n");
        for (RouteSpec r : routes) {
            out.append(String.format("%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %-" + width[3] + "s  %s",
                    r.door(), r.method(), r.path(), r.auth(), r.rate())).append('\n');
        }
        return out.toString();
    }

    /** The checked-in table, parsed back into routes (no cell holds a space). */
    static List<RouteSpec> checkedIn() throws IOException {
        return Files.readAllLines(ROUTES_FILE, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.trim().split("\\s+"))
                .map(c -> new RouteSpec(c[0], c[1], c[2], c[3], c[4])).toList();
    }

    @Test
    void theCheckedInRouteTableIsExactlyWhatTheServerRegisters() throws IOException {
        List<RouteSpec> actual = server.routes();
        if (Boolean.getBoolean("routes.update")) {
            Files.writeString(ROUTES_FILE, render(actual), StandardCharsets.UTF_8);
        }
        assertThat(actual).as(REGENERATE).containsExactlyElementsOf(checkedIn());
        assertThat(Files.readString(ROUTES_FILE, StandardCharsets.UTF_8)).as("layout; " + REGENERATE).isEqualTo(render(actual));
        assertThat(actual.stream().map(r -> r.door() + " " + r.describe()).toList()).doesNotHaveDuplicates();
        assertThat(actual).filteredOn(r -> r.door().equals("feishu"))
                .allSatisfy(r -> assertThat(r.describe()).matches("(GET|POST|PUT|PATCH|DELETE) /open-apis/[a-z0-9_/:.]+"));
        assertThat(actual.stream().map(RouteSpec::door).distinct().toList()).containsExactly("ops", "feishu", "hybridbox", "admin", "sandbox");
    }

    @Test
    void everyRegisteredRouteIsRoutedAndAnswersAJsonEnvelope() {
        String token = http.token("cli_full");
        List<String> unrouted = new ArrayList<>();
        for (String route : registered()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replaceAll(":([a-z_]+)", "sample_$1");
            FeishuHttp.Response r = http.send(method, path, "Bearer " + token, "{}");
            if (!isJsonEnvelope(r)) unrouted.add(route + " -> " + r.status() + " " + r.text());
        }
        assertThat(unrouted).as("routes that did not reach a handler").isEmpty();
    }

    @Test
    void healthzAnswersOkAndTheStoreKindAsTheReadmeShows() {
        FeishuHttp.Response r = http.send("GET", "/healthz", null, null);
        assertThat(r.status()).isEqualTo(200);
        // and without --sandbox exactly {"status":"ok","store":"sqlite"} (SandboxControlsTest)
        assertThat(r.text()).isEqualTo("{\"status\":\"ok\",\"store\":\"sqlite\",\"mode\":\"sandbox\"}");
    }

    @Test
    void anUnknownPathGetsThePlatformsPlainTextNotFound() {
        for (String path : List.of("/open-apis/mail/v1/nosuch", "/open-apis/mail/v1/mailgroups/x/y/z/w", "/")) {
            FeishuHttp.Response r = http.send("GET", path, null, null);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.text()).isEqualTo("404 page not found");
            assertThat(isJsonEnvelope(r)).isFalse();
        }
        assertThat(isJsonEnvelope(http.send("PUT", "/open-apis/auth/v3/tenant_access_token/internal", null, "{}")))
                .as("a known path with a method it does not have").isFalse();
    }

    static boolean isJsonEnvelope(FeishuHttp.Response r) {
        String type = r.header("content-type");
        if (type == null || !type.startsWith("application/json")) return false;
        try {
            JsonNode body = FeishuHttp.JSON.readTree(r.text());
            return body != null && body.isObject() && body.path("code").isInt();
        } catch (IOException e) {
            return false;
        }
    }
}
