package mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import mailroom.server.MailroomServer;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks delivered to a local receiver by a real server: the Standard Webhooks headers and signature (checked by
 * the reference library), the payload, sequence order, retries with the same webhook-id, durability across a
 * restart, the retry schedule running out, and disabling after days of failure.
 */
class WebhookDeliveryTest {
    private static final List<Duration> FAST = Collections.nCopies(7, Duration.ofMillis(200));

    private AdminHttp admin;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() {
        if (admin != null) admin.close();
        if (receiver != null) receiver.close();
    }

    private static UnaryOperator<MailroomServer.Options> schedule(List<Duration> retries) {
        return o -> o.withEvents(o.events().withRetrySchedule(retries));
    }

    private JsonNode createWebhook(String url, String events) {
        FeishuHttp.Response r = admin.send("POST", "/admin/v1/tenants/acme/webhooks", "{\"url\":\"" + url + "\",\"events\":" + events + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json();
    }

    private FeishuHttp.Response createGroup(String local) {
        FeishuHttp feishu = new FeishuHttp(admin.server().port());
        FeishuHttp.Response r = feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                "{\"email\":\"" + local + "@acme.test\",\"name\":\"" + local + "\"}");
        assertThat(r.json().get("code").asInt()).as(r.text()).isZero();
        return r;
    }

    private JsonNode deliveries(String webhookId) {
        FeishuHttp.Response r = admin.send("GET", "/admin/v1/tenants/acme/webhooks/" + webhookId + "/deliveries", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("items");
    }

    @Test
    void aWriteIsDeliveredSignedAsTheStandardSaysWithTheJournalEntryAsData() throws Exception {
        admin = AdminHttp.start(Backend.SQLITE);
        receiver = WebhookReceiver.start();
        JsonNode hook = createWebhook(receiver.url("/hook"), "[\"mail_group.created\"]");
        String secret = hook.get("secret").asText();
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");

        FeishuHttp.Response created = createGroup("sales");
        WebhookReceiver.Received got = receiver.awaitAccepted(1, Duration.ofSeconds(10)).getFirst();

        // The reference implementation accepts it (signature and a fresh timestamp).
        new Webhook(secret).verify(got.body(), got.headers());
        assertThat(got.header("content-type")).isEqualTo("application/json");
        assertThat(got.header("webhook-id")).matches("msg_[0-9a-z]{16}_\\d+");
        assertThat(Long.parseLong(got.header("webhook-timestamp"))).isCloseTo(Instant.now().getEpochSecond(),
                org.assertj.core.data.Offset.offset(30L));
        JsonNode body = FeishuHttp.JSON.readTree(got.body());
        assertThat(body.get("type").asText()).isEqualTo("mail_group.created");
        JsonNode data = body.get("data");
        assertThat(data.get("tenant").asText()).isEqualTo("acme");
        assertThat(data.get("actor").toString()).isEqualTo("{\"kind\":\"feishu_app\",\"id\":\"cli_full\"}");
        assertThat(data.get("request_id").asText()).isEqualTo(created.header("X-Tt-Logid"));
        assertThat(data.get("object").get("kind").asText()).isEqualTo("mail_group");
        assertThat(data.get("object").get("address").asText()).isEqualTo("sales@acme.test");
        assertThat(data.get("op").asText()).isEqualTo("create");
        assertThat(data.get("before").isNull()).isTrue();
        assertThat(data.get("after").get("address").asText()).isEqualTo("sales@acme.test");
        assertThat(body.get("timestamp").asText()).isEqualTo(data.get("time").asText());
        assertThat(got.header("webhook-id")).endsWith("_" + data.get("seq").asLong());

        // A tampered body is refused by the same check: the test can fail.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Webhook(secret).verify(got.body().replace("sales", "sale5"),
                got.headers())).isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);

        // Recorded just after the receiver answered.
        awaitDelivery(hook.get("id").asText(), "succeeded");
        JsonNode listed = deliveries(hook.get("id").asText());
        assertThat(listed).hasSize(1);
        JsonNode d = listed.get(0);
        assertThat(d.get("event_id").asText()).isEqualTo(got.header("webhook-id"));
        assertThat(d.get("status").asText()).isEqualTo("succeeded");
        assertThat(d.get("attempts").asInt()).isEqualTo(1);
        assertThat(d.get("last_status_code").asInt()).isEqualTo(200);
        assertThat(d.get("event_type").asText()).isEqualTo("mail_group.created");
        assertThat(d.get("next_attempt_at").isNull()).isTrue();
    }

    @Test
    void onlySubscribedEventsAreDeliveredAndInSequenceOrderExactlyOnce() throws Exception {
        admin = AdminHttp.start(Backend.SQLITE);
        receiver = WebhookReceiver.start();
        JsonNode all = createWebhook(receiver.url("/all"), "[\"*\"]");
        JsonNode deletes = createWebhook(receiver.url("/deletes"), "[\"*.deleted\"]");
        for (int i = 0; i < 20; i++) createGroup("g" + i);
        FeishuHttp feishu = new FeishuHttp(admin.server().port());
        assertThat(feishu.call("cli_full", "DELETE", "/open-apis/mail/v1/mailgroups/g3@acme.test", null).json().get("code").asInt()).isZero();

        // "*" sees its own creation and the second webhook's; 20 groups and one deletion follow.
        List<WebhookReceiver.Received> got = receiver.awaitAccepted(24, Duration.ofSeconds(20));
        Thread.sleep(300);
        List<Long> allSeqs = seqs(receiver.accepted(), "/all");
        assertThat(allSeqs).hasSize(23).isSorted().doesNotHaveDuplicates();
        assertThat(allSeqs.getLast() - allSeqs.getFirst()).isEqualTo(22);
        assertThat(seqs(receiver.accepted(), "/deletes")).hasSize(1);
        assertThat(got.stream().filter(r -> r.path().equals("/deletes")).findFirst().orElseThrow().body())
                .contains("\"type\":\"mail_group.deleted\"");
        awaitDeliveries(all.get("id").asText(), 23);
        assertThat(deliveries(all.get("id").asText())).hasSize(23);
        awaitDeliveries(deletes.get("id").asText(), 1);
        assertThat(deliveries(deletes.get("id").asText())).hasSize(1);
        assertThat(receiver.mostInFlight()).isEqualTo(1);
    }

    private static List<Long> seqs(List<WebhookReceiver.Received> got, String path) {
        return got.stream().filter(r -> r.path().equals(path)).map(r -> {
            try {
                return FeishuHttp.JSON.readTree(r.body()).get("data").get("seq").asLong();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheEventOnTheFourthAttemptWithTheSameId() throws Exception {
        admin = AdminHttp.start(Backend.SQLITE, schedule(FAST), java.time.Clock.systemUTC());
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        receiver = WebhookReceiver.start().answering(r ->
                seen.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet() <= 3 ? 503 : 204);
        JsonNode hook = createWebhook(receiver.url("/flaky"), "[\"mail_group.*\"]");
        createGroup("flaky");
        createGroup("after");

        receiver.awaitAccepted(2, Duration.ofSeconds(20));
        List<WebhookReceiver.Received> all = receiver.received();
        String first = all.getFirst().header("webhook-id");
        assertThat(all.subList(0, 4)).extracting(r -> r.header("webhook-id")).containsOnly(first);
        assertThat(all.subList(0, 4)).extracting(WebhookReceiver.Received::status).containsExactly(503, 503, 503, 204);
        // The second event waited for the first: order is kept through retries.
        assertThat(all.get(4).body()).contains("after@acme.test");

        awaitDelivery(hook.get("id").asText(), "succeeded");
        JsonNode d = deliveries(hook.get("id").asText());
        assertThat(d.get(1).get("event_id").asText()).isEqualTo(first);
        assertThat(d.get(1).get("status").asText()).isEqualTo("succeeded");
        assertThat(d.get(1).get("attempts").asInt()).isEqualTo(4);
        assertThat(d.get(1).get("last_status_code").asInt()).isEqualTo(204);
        // Each event is refused three times by this receiver, the second one too.
        assertThat(d.get(0).get("attempts").asInt()).isEqualTo(4);
        assertThat(all).hasSize(8);
    }

    @Test
    void eventsWrittenWhileTheReceiverIsDownArriveAfterAMailroomRestart() throws Exception {
        List<Duration> slow = Collections.nCopies(7, Duration.ofMillis(700));
        admin = AdminHttp.start(Backend.SQLITE, schedule(slow), java.time.Clock.systemUTC());
        receiver = WebhookReceiver.start();
        int port = receiver.port();
        createWebhook(receiver.url("/down"), "[\"mail_group.created\"]");
        receiver.close();
        for (int i = 0; i < 5; i++) createGroup("d" + i);

        MailroomServer.Options options = admin.options();
        admin.close();
        admin = AdminHttp.start(options, java.time.Clock.systemUTC());
        receiver = WebhookReceiver.startOn(port);

        List<WebhookReceiver.Received> got = receiver.awaitAccepted(5, Duration.ofSeconds(30));
        assertThat(got).extracting(r -> FeishuHttp.JSON.valueToTree(parse(r.body())).get("data").get("object").get("address").asText())
                .containsExactly("d0@acme.test", "d1@acme.test", "d2@acme.test", "d3@acme.test", "d4@acme.test");
    }

    private static JsonNode parse(String body) {
        try {
            return FeishuHttp.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDeliveryFailsWhenItsRetriesRunOutAndAWebhookFailingForFiveDaysIsDisabled() throws Exception {
        TestClock clock = TestClock.movable(Instant.now());
        admin = AdminHttp.start(Backend.SQLITE, schedule(List.of(Duration.ofHours(1), Duration.ofHours(1))), clock);
        receiver = WebhookReceiver.start().answering(r -> 500);
        JsonNode hook = createWebhook(receiver.url("/broken"), "[\"mail_group.created\"]");
        String id = hook.get("id").asText();
        createGroup("one");
        awaitRequests(1);
        JsonNode pending = awaitDelivery(id, "pending");
        assertThat(pending.get("next_attempt_at").asText()).isNotEmpty();
        assertThat(new FeishuHttp(admin.server().port()).send("GET", "/metrics", null, null).text())
                .contains("mailroom_webhook_pending 1.0").contains("mailroom_webhook_attempts_seconds_count{outcome=\"retrying\"} 1");
        clock.advance(Duration.ofMinutes(70));
        awaitRequests(2);
        clock.advance(Duration.ofMinutes(70));
        awaitRequests(3);
        JsonNode first = awaitDelivery(id, "failed");
        assertThat(first.get("attempts").asInt()).isEqualTo(3);
        assertThat(first.get("last_status_code").asInt()).isEqualTo(500);
        assertThat(first.get("last_error").asText()).isEqualTo("answered HTTP 500");
        JsonNode shown = admin.send("GET", "/admin/v1/tenants/acme/webhooks/" + id, null).json();
        assertThat(shown.get("enabled").asBoolean()).isTrue();
        assertThat(shown.get("failing_since").isNull()).isFalse();

        clock.advance(Duration.ofDays(5));
        createGroup("two");
        awaitRequests(4);
        JsonNode disabled = awaitEnabled(id, false);
        assertThat(disabled.get("disabled_reason").asText()).startsWith("deliveries failing since ");
        String metrics = new FeishuHttp(admin.server().port()).send("GET", "/metrics", null, null).text();
        assertThat(metrics).contains("mailroom_webhook_disabled 1.0");
        assertThat(metrics).contains("mailroom_webhook_attempts_seconds_count{outcome=\"failed\"} 1");

        // Enabled again by an operator, it delivers what it missed once the receiver is back.
        receiver.answering(r -> 200);
        assertThat(admin.send("PATCH", "/admin/v1/tenants/acme/webhooks/" + id, "{\"enabled\":true}").status()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        awaitEnabled(id, true);
        JsonNode two = awaitDelivery(id, "succeeded");
        assertThat(two.get("event_type").asText()).isEqualTo("mail_group.created");
    }

    @Test
    void afterARotationDeliveriesCarryBothSignaturesAndARedeliveryKeepsItsId() throws Exception {
        admin = AdminHttp.start(Backend.SQLITE);
        receiver = WebhookReceiver.start();
        JsonNode hook = createWebhook(receiver.url("/rotating"), "[\"mail_group.created\"]");
        String id = hook.get("id").asText();
        String old = hook.get("secret").asText();
        FeishuHttp.Response rotated = admin.send("POST", "/admin/v1/tenants/acme/webhooks/" + id + "/rotate-secret", null);
        assertThat(rotated.status()).isEqualTo(200);
        String fresh = rotated.json().get("secret").asText();
        assertThat(fresh).isNotEqualTo(old).startsWith("whsec_");

        createGroup("rotated");
        WebhookReceiver.Received got = receiver.awaitAccepted(1, Duration.ofSeconds(10)).getFirst();
        assertThat(got.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=");
        // A receiver holding either secret accepts it; one holding another secret does not.
        new Webhook(fresh).verify(got.body(), got.headers());
        new Webhook(old).verify(got.body(), got.headers());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Webhook("whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[32])).verify(got.body(), got.headers()))
                .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);

        JsonNode delivery = awaitDelivery(id, "succeeded");
        FeishuHttp.Response again = admin.send("POST", "/admin/v1/tenants/acme/webhooks/" + id + "/deliveries/"
                + delivery.get("id").asText() + "/redeliver", null);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("pending");
        assertThat(again.json().get("attempts").asInt()).isZero();
        List<WebhookReceiver.Received> both = receiver.awaitAccepted(2, Duration.ofSeconds(10));
        assertThat(both.get(1).header("webhook-id")).isEqualTo(got.header("webhook-id"));
        assertThat(both.get(1).body()).isEqualTo(got.body());
        assertThat(awaitDelivery(id, "succeeded").get("attempts").asInt()).isEqualTo(1);
    }

    private void awaitRequests(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (receiver.received().size() < n && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(receiver.received()).hasSizeGreaterThanOrEqualTo(n);
        Thread.sleep(200);
        assertThat(receiver.received()).hasSize(n);
    }

    private JsonNode awaitDelivery(String webhookId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode items = deliveries(webhookId);
            if (!items.isEmpty() && items.get(0).get("status").asText().equals(status)) return items.get(0);
            Thread.sleep(50);
        }
        throw new AssertionError("newest delivery never became " + status + ": " + deliveries(webhookId));
    }

    private void awaitDeliveries(String webhookId, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (deliveries(webhookId).size() < n && System.nanoTime() < deadline) Thread.sleep(50);
    }

    private JsonNode awaitEnabled(String webhookId, boolean enabled) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode shown = null;
        while (System.nanoTime() < deadline) {
            shown = admin.send("GET", "/admin/v1/tenants/acme/webhooks/" + webhookId, null).json();
            if (shown.get("enabled").asBoolean() == enabled) return shown;
            Thread.sleep(50);
        }
        throw new AssertionError("webhook never became enabled=" + enabled + ": " + shown);
    }
}
