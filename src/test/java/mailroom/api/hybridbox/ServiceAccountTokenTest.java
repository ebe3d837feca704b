package mailroom.api.hybridbox;

import static mailroom.testing.HybridboxHttp.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import mailroom.directory.access.Secrets;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;

/** Service-account tokens: hashed at rest, expiring, recording their last use, valid across restarts. */
class ServiceAccountTokenTest {
    private static JsonNode create(HybridboxHttp http, String body) {
        FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACME, "/auth/service-accounts"), body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json();
    }

    private static int listStatus(HybridboxHttp http, String token) {
        return http.call(token, "GET", path(ACME, "/mailboxes?page_size=1"), null).status();
    }

    @Test
    void aTokenIsStoredOnlyAsItsHash() throws Exception {
        Path dir = Files.createTempDirectory("mailroom-tokens");
        try (MailroomServer server = MailroomServer.start(TestServers.options(Backend.SQLITE, dir))) {
            String token = create(new HybridboxHttp(server.port()), "{\"name\":\"ci\"}").get("token").asText();
            assertThat(token).startsWith("hbx_sa_");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mailroom.db"));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM service_account WHERE name = 'ci'")) {
                assertThat(rs.next()).isTrue();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    assertThat(String.valueOf(rs.getObject(i))).doesNotContain(token);
                }
                assertThat(rs.getString("token_hash")).isEqualTo(Secrets.hashToken(token));
            }
        }
    }

    @Test
    void anExpiredTokenAnswers401() {
        TestClock clock = TestClock.movable(Instant.now());
        try (MailroomServer server = MailroomServer.start(TestServers.options(Backend.SQLITE, null), clock)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            String expires = clock.instant().plus(Duration.ofHours(1)).toString();
            String token = create(http, "{\"name\":\"short\",\"expires_at\":\"" + expires + "\"}").get("token").asText();
            assertThat(listStatus(http, token)).isEqualTo(200);
            clock.advance(Duration.ofMinutes(61));
            FeishuHttp.Response r = http.call(token, "GET", path(ACME, "/mailboxes"), null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("www-authenticate")).isEqualTo("Bearer");
        }
    }

    @Test
    void usingATokenRecordsLastUsedAt() {
        TestClock clock = TestClock.movable(Instant.now());
        try (MailroomServer server = MailroomServer.start(TestServers.options(Backend.SQLITE, null), clock)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            JsonNode created = create(http, "{\"name\":\"ci\"}");
            assertThat(created.get("last_used_at").isNull()).isTrue();
            clock.advance(Duration.ofMinutes(5));
            Instant used = clock.instant();
            assertThat(listStatus(http, created.get("token").asText())).isEqualTo(200);
            JsonNode listed = http.call(PROVISIONING, "GET", path(ACME, "/auth/service-accounts"), null).json();
            JsonNode ci = null;
            for (JsonNode sa : listed) if (sa.get("name").asText().equals("ci")) ci = sa;
            assertThat(ci).isNotNull();
            assertThat(ci.get("last_used_at").asText()).isEqualTo(used.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
    }

    @Test
    void aCreatedTokenStaysValidAcrossARestartAndARevokedSeedTokenStaysRevoked() throws Exception {
        Path dir = Files.createTempDirectory("mailroom-restart");
        String token;
        try (MailroomServer server = MailroomServer.start(TestServers.options(Backend.SQLITE, dir))) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            token = create(http, "{\"name\":\"ci\"}").get("token").asText();
            String viewerId = null;
            for (JsonNode sa : http.call(PROVISIONING, "GET", path(ACME, "/auth/service-accounts"), null).json()) {
                if (sa.get("name").asText().equals("viewer")) viewerId = sa.get("id").asText();
            }
            assertThat(http.call(PROVISIONING, "POST", path(ACME, "/auth/service-accounts/" + viewerId + "/revoke"), null)
                    .status()).isEqualTo(200);
        }
        try (MailroomServer server = MailroomServer.start(TestServers.options(Backend.SQLITE, dir))) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            assertThat(listStatus(http, token)).isEqualTo(200);
            assertThat(listStatus(http, VIEWER)).isEqualTo(401);
        }
    }
}
