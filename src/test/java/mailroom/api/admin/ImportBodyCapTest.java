package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.RawHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import route's own body cap (64 MiB, for up to 100,000 rows) beside the pipeline's 1 MiB for every other
 * route: a file over 1 MiB is read, one over 100,000 rows or 64 MiB is a 413 problem, and a stranger's upload is
 * refused before its body is read.
 */
class ImportBodyCapTest {
    private static AdminHttp admin;

    @BeforeAll
    static void start() {
        admin = AdminHttp.start(TestServers.Backend.SQLITE);
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    private static String groups(int rows) {
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < rows; i++) csv.append(String.format("cap%06d@acme.test%n", i));
        return csv.toString();
    }

    @Test
    void aFileOfMoreThan100000RowsIs413AndImportsNothing() throws Exception {
        String csv = groups(100_001);
        assertThat(csv.length()).as("over the 1 MiB every other route takes").isGreaterThan(1024 * 1024);
        FeishuHttp.Response r = admin.importCsv("acme", "kind=mail_groups", csv);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json()).isEqualTo(FeishuHttp.JSON.readTree("""
                {"type": "urn:mailroom:problem:payload-too-large", "title": "The request body is too large", "status": 413,
                 "detail": "an import takes at most 100000 rows; send the file in parts"}"""));
        assertThat(admin.exportCsv("acme", "mail_groups")).isEqualTo("email,name,description,who_can_send_mail\r\n");
    }

    @Test
    void aFileOverTheDefaultCapIsReadByTheImportRouteAlone() {
        FeishuHttp.Response dry = admin.importCsv("acme", "kind=mail_groups&dry_run=true", groups(70_000));
        assertThat(dry.status()).as(dry.text()).isEqualTo(200);
        assertThat(dry.json().get("rows").asInt()).isEqualTo(70_000);
        String big = "{\"key\":\"big\",\"domains\":[\"big.test\"],\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        FeishuHttp.Response other = admin.send("POST", "/admin/v1/tenants", big);
        assertThat(other.status()).isEqualTo(413);
        assertThat(other.json().get("detail").asText()).isEqualTo("the body exceeds 1048576 bytes");
    }

    @Test
    void aBodyOverTheImportCapIs413NamingThatCapAndTheConnectionCloses() {
        long declared = 64L * 1024 * 1024 + 1;
        String head = "POST /admin/v1/tenants/acme/import?kind=mail_groups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + admin.adminToken() + "\r\nContent-Type: text/csv\r\nContent-Length: " + declared + "\r\n\r\n";
        byte[] sent = new byte[head.length() + 17 * 1024 * 1024];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, sent, 0, head.length());
        java.util.Arrays.fill(sent, head.length(), sent.length, (byte) 'x');
        try (RawHttp raw = new RawHttp(admin.server().port())) {
            RawHttp.Received got = raw.send(sent).receive(5000);
            assertThat(got.statuses()).containsExactly(413);
            assertThat(got.firstBody()).contains("\"detail\":\"the body exceeds 67108864 bytes\"");
            assertThat(got.firstHeader("connection")).isEqualTo("close");
        }
    }

    @Test
    void anUploadWithoutAValidTokenIsRefusedBeforeItsBodyIsRead() {
        String head = "POST /admin/v1/tenants/acme/import?kind=mail_groups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n"
                + "Content-Type: text/csv\r\nContent-Length: " + (32 * 1024 * 1024) + "\r\n\r\nemail\n";
        try (RawHttp raw = new RawHttp(admin.server().port())) {
            long t0 = System.nanoTime();
            RawHttp.Received got = raw.send(head).receive(3000);
            assertThat(got.statuses()).containsExactly(401);
            assertThat(got.firstHeader("connection")).isEqualTo("close");
            assertThat(got.closedByServer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).as("answered without waiting for 32 MiB that never come").isLessThan(3000);
        }
    }
}
