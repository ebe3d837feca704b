package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code mailroom webhook …} run as processes against a real server: what it prints, what the door then holds. */
class WebhookCommandProcessTest extends CliServerTest {
    @Test
    void aWebhookIsCreatedWithItsSecretOnceListedDisabledRotatedAndDeleted() throws Exception {
        JsonNode created = JSON.readTree(ok(mailroom("webhook", "create", "--tenant", "globex", "--target-url", "http://127.0.0.1:9/hr",
                "--event", "mail_group.*,*.recycled", "--description", "HR", "--json")).stdout());
        String id = created.get("id").asText();
        assertThat(created.get("secret").asText()).startsWith("whsec_");
        assertThat(created.get("events").toString()).isEqualTo("[\"mail_group.*\",\"*.recycled\"]");

        assertThat(ok(mailroom("webhook", "list", "--tenant", "globex")).lines()).containsExactly(
                "ID                   URL                    EVENTS                    ENABLED  DISABLED_REASON",
                id + "  http://127.0.0.1:9/hr  mail_group.*, *.recycled  true     -");

        JsonNode disabled = JSON.readTree(ok(mailroom("webhook", "update", "--tenant", "globex", id, "--disable", "--json")).stdout());
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("disabled_reason").asText()).isEqualTo("disabled by an operator");
        assertThat(JSON.readTree(api("/tenants/globex/webhooks/" + id)).get("enabled").asBoolean()).isFalse();

        String rotated = JSON.readTree(ok(mailroom("webhook", "rotate-secret", "--tenant", "globex", id, "--json")).stdout())
                .get("secret").asText();
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(created.get("secret").asText());
        assertThat(ok(mailroom("webhook", "deliveries", "--tenant", "globex", id)).lines()).containsExactly(
                "ID  EVENT_TYPE  STATUS  ATTEMPTS  LAST_STATUS_CODE  LAST_ATTEMPT_AT  NEXT_ATTEMPT_AT");

        CliRun.Ended refused = mailroom("webhook", "create", "--tenant", "globex", "--target-url", "ftp://127.0.0.1/x", "--event", "*");
        assertThat(refused.exit()).isEqualTo(11);
        assertThat(refused.errors()).singleElement().asString().contains("url must be an http or https URL");

        assertThat(ok(mailroom("webhook", "delete", "--tenant", "globex", id)).lines())
                .containsExactly("deleted webhook " + id + " of tenant globex");
        assertThat(server.send("GET", "/admin/v1/tenants/globex/webhooks/" + id, null).status()).isEqualTo(404);
    }
}
