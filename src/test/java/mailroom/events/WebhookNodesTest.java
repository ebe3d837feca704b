package mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mailroom.mta.ClientNetworks;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * Webhooks on two nodes sharing one PostgreSQL database: each webhook's deliveries are made by one node at a time
 * (never two requests of one webhook in flight), every event arrives once and in order while writes land on both
 * nodes, and when the delivering node stops the other carries on from where it stopped. Also the network
 * allow-list, on SQLite.
 */
class WebhookNodesTest {
    @Test
    void twoNodesDeliverEachEventOnceInOrderAndTheSecondTakesOverWhenTheFirstStops() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start().answering(r -> {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        })) {
            AdminHttp one = AdminHttp.start(Backend.POSTGRESQL);
            AdminHttp two = AdminHttp.start(one.options(), Clock.systemUTC());
            try {
                List<String> paths = List.of("/a", "/b", "/c");
                for (String p : paths) {
                    assertThat(one.send("POST", "/admin/v1/tenants/acme/webhooks", "{\"url\":\"" + receiver.url(p)
                            + "\",\"events\":[\"mail_group.created\"]}").status()).isEqualTo(201);
                }
                List<String> addresses = writeOnBoth(one, two, 0, 40);
                receiver.awaitAccepted(3 * 40, Duration.ofSeconds(60));
                one.close();
                one = null;
                addresses.addAll(writeOnBoth(two, two, 40, 20));
                receiver.awaitAccepted(3 * 60, Duration.ofSeconds(90));
                Thread.sleep(500);

                assertThat(receiver.mostInFlight()).as("requests of one webhook in flight at once: %s", receiver.overlaps()).isEqualTo(1);
                for (String p : paths) {
                    List<JsonNode> got = receiver.accepted().stream().filter(r -> r.path().equals(p)).map(r -> json(r.body())).toList();
                    assertThat(got).extracting(b -> b.get("data").get("seq").asLong()).as(p).isSorted().doesNotHaveDuplicates();
                    assertThat(got).extracting(b -> b.get("data").get("object").get("address").asText()).as(p)
                            .containsExactlyInAnyOrderElementsOf(addresses);
                }
            } finally {
                if (one != null) one.close();
                two.close();
            }
        }
    }

    /** Creates {@code n} groups, alternating between the nodes, 8 at a time; answers their addresses. */
    private static List<String> writeOnBoth(AdminHttp a, AdminHttp b, int from, int n) throws Exception {
        FeishuHttp[] nodes = {new FeishuHttp(a.server().port()), new FeishuHttp(b.server().port())};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> done = new ArrayList<>();
            for (int i = from; i < from + n; i++) {
                int k = i;
                done.add(pool.submit(() -> {
                    String address = "n" + k + "@acme.test";
                    FeishuHttp.Response r = nodes[k % 2].call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                            "{\"email\":\"" + address + "\",\"name\":\"n" + k + "\"}");
                    assertThat(r.json().get("code").asInt()).as(r.text()).isZero();
                    return address;
                }));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : done) out.add(f.get());
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static JsonNode json(String body) {
        try {
            return FeishuHttp.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withWebhookNetworksAUrlOutsideThemIsRefusedAndOneInsideIsTaken() {
        try (AdminHttp admin = AdminHttp.start(Backend.SQLITE,
                o -> o.withEvents(o.events().withWebhookNetworks(ClientNetworks.parse("10.0.0.0/8"))), Clock.systemUTC())) {
            FeishuHttp.Response refused = admin.send("POST", "/admin/v1/tenants/acme/webhooks",
                    "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"*\"]}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("errors").toString()).isEqualTo("[{\"field\":\"url\",\"message\":"
                    + "\"url resolves to 127.0.0.1, outside the webhook networks (10.0.0.0/8)\"}]");
            assertThat(admin.send("GET", "/admin/v1/tenants/acme/webhooks", null).json().get("items")).isEmpty();
            assertThat(admin.send("POST", "/admin/v1/tenants/acme/webhooks",
                    "{\"url\":\"http://10.1.2.3/hook\",\"events\":[\"*\"]}").status()).isEqualTo(201);
        }
    }
}
