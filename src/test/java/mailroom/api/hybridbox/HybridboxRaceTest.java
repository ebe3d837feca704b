package mailroom.api.hybridbox;

import static mailroom.testing.HybridboxHttp.*;
import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.*;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two overlapping bulk requests sent at once: every address is created exactly once, on both backends. */
class HybridboxRaceTest {
    @ParameterizedTest
    @EnumSource(Backend.class)
    void overlappingBulkRequestsSentAtOnceCreateEveryAddressExactlyOnce(Backend backend) throws Exception {
        try (MailroomServer server = TestServers.start(backend)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 3; round++) {
                    // A asks for 0..299, B for 100..399: 200 addresses are wanted by both
                    List<String[]> a = new ArrayList<>();
                    List<String[]> b = new ArrayList<>();
                    for (int i = 0; i < 300; i++) a.add(new String[]{"A", "A", "r" + round + "-u" + i});
                    for (int i = 399; i >= 100; i--) b.add(new String[]{"B", "B", "r" + round + "-u" + i});
                    CountDownLatch start = new CountDownLatch(1);
                    Callable<JsonNode> sendA = () -> send(http, start, HybridboxBulkTest.body("acme-mail.test", a).toString());
                    Callable<JsonNode> sendB = () -> send(http, start, HybridboxBulkTest.body("acme-mail.test", b).toString());
                    Future<JsonNode> fa = pool.submit(sendA);
                    Future<JsonNode> fb = pool.submit(sendB);
                    start.countDown();
                    JsonNode ra = fa.get(60, TimeUnit.SECONDS);
                    JsonNode rb = fb.get(60, TimeUnit.SECONDS);

                    Map<String, Integer> createdCount = new HashMap<>();
                    for (JsonNode answer : List.of(ra, rb)) {
                        answer.get("created").forEach(c -> createdCount.merge(
                                c.get("mailbox").get("primary_email").asText(), 1, Integer::sum));
                        answer.get("failed").forEach(f -> assertThat(f.get("code").asText()).isEqualTo("address_taken"));
                        assertThat(answer.get("created").size() + answer.get("failed").size()).isEqualTo(300);
                    }
                    assertThat(createdCount).hasSize(400);
                    assertThat(createdCount.values()).allMatch(n -> n == 1);
                    assertThat(ra.get("failed").size() + rb.get("failed").size()).isEqualTo(200);
                    String prefix = "r" + round + "-";
                    assertThat(server.directory().mailboxes().list(as("acme"), "acme-mail.test", null, prefix, 1, 1).total())
                            .isEqualTo(400);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static JsonNode send(HybridboxHttp http, CountDownLatch start, String body) throws InterruptedException {
        start.await();
        FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACME, "/mailboxes/bulk"), body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }
}
