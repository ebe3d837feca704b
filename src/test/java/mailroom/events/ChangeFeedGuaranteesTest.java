package mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.Together;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the change feed promises its consumers, shown with real writers: 32 writers through the Feishu and the
 * Hybridbox doors on two nodes of one PostgreSQL (one node on SQLite) while a consumer long-polls GET
 * /admin/v1/changes: every acknowledged write appears exactly once, in sequence order with no gap, a tenant's
 * consumer sees exactly that tenant's part, and a consumer resuming from its saved next_after across a restart of
 * every node neither misses nor repeats an entry.
 */
class ChangeFeedGuaranteesTest {
    private static final int WRITERS = 32;
    private static final long CONSUMER_DEADLINE_MILLIS = 90_000;

    @TempDir
    Path dir;

    private final List<MailroomServer> nodes = new ArrayList<>();
    private String adminToken;

    @AfterEach
    void stop() {
        nodes.forEach(MailroomServer::close);
    }

    /** A write a door acknowledged, as the feed must show it; {@code requestId} null where the door shows none. */
    private record Ack(String tenant, String actorKind, String objectKind, String op, String objectId, String requestId) {}

    /** An entry of the feed in the terms of an {@link Ack}. */
    private static Ack seen(JsonNode e, boolean withRequestId) {
        return new Ack(e.get("tenant").asText(), e.at("/actor/kind").asText(), e.at("/object/kind").asText(), e.get("op").asText(),
                e.at("/object/id").asText(), withRequestId ? e.get("request_id").asText() : null);
    }

    private void startNodes(MailroomServer.Options options, int count) throws Exception {
        for (int i = 0; i < count; i++) nodes.add(MailroomServer.start(options));
        adminToken = Files.readString(options.adminTokenFile()).trim();
    }

    private void stopNodes() {
        nodes.forEach(MailroomServer::close);
        nodes.clear();
    }

    private FeishuHttp.Response changes(MailroomServer node, String query) {
        FeishuHttp.Response r = new FeishuHttp(node.port()).send("GET", "/admin/v1/changes" + query, "Bearer " + adminToken, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    /** Long-polls from {@code after} until its position reaches {@code end} (set once the writers are done). */
    private List<JsonNode> consume(MailroomServer node, long after, String filter, int limit, AtomicLong end) {
        List<JsonNode> items = new ArrayList<>();
        long position = after;
        long deadline = System.currentTimeMillis() + CONSUMER_DEADLINE_MILLIS;
        while (position < end.get() && System.currentTimeMillis() < deadline) {
            JsonNode page = changes(node, "?after=" + position + "&limit=" + limit + "&wait=2" + filter).json();
            page.get("items").forEach(items::add);
            long next = page.get("next_after").asLong();
            assertThat(next).as("next_after never goes back").isGreaterThanOrEqualTo(position);
            position = next;
        }
        assertThat(position).as("caught up within the deadline").isEqualTo(end.get());
        return items;
    }

    private static String domain(String tenant) {
        return tenant + ".test";
    }

    /** Creates a mail group and renames it through the Feishu door. */
    private static List<Ack> feishuWrites(MailroomServer node, String tenant, String local) {
        FeishuHttp feishu = new FeishuHttp(node.port());
        String app = tenant.equals("acme") ? "cli_full" : "cli_globex";
        FeishuHttp.Response created = feishu.call(app, "POST", "/open-apis/mail/v1/mailgroups",
                "{\"email\":\"" + local + "@" + domain(tenant) + "\"}");
        assertThat(created.json().path("code").asInt()).as(created.text()).isZero();
        String id = created.json().at("/data/mailgroup_id").asText();
        FeishuHttp.Response renamed = feishu.call(app, "PATCH", "/open-apis/mail/v1/mailgroups/" + id, "{\"name\":\"Team " + local + "\"}");
        assertThat(renamed.json().path("code").asInt()).as(renamed.text()).isZero();
        return List.of(new Ack(tenant, "feishu_app", "mail_group", "create", id, created.header("X-Tt-Logid")),
                new Ack(tenant, "feishu_app", "mail_group", "update", id, renamed.header("X-Tt-Logid")));
    }

    /** Creates a user mailbox through the Hybridbox door (which answers no request id). */
    private static Ack hybridboxWrite(MailroomServer node, String tenant, String local) {
        HybridboxHttp hybridbox = new HybridboxHttp(node.port());
        boolean acme = tenant.equals("acme");
        FeishuHttp.Response r = hybridbox.call(acme ? HybridboxHttp.PROVISIONING : HybridboxHttp.GLOBEX_PROVISIONING, "POST",
                HybridboxHttp.path(acme ? HybridboxHttp.ACME : HybridboxHttp.GLOBEX, "/mailboxes"),
                "{\"domain\":\"" + domain(tenant) + "\",\"local_part\":\"" + local + "\",\"first_name\":\"A\",\"last_name\":\"B\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return new Ack(tenant, "hybridbox_service_account", "user_mailbox", "create", r.json().get("id").asText(), null);
    }

    /** Writer {@code i}: a door (Feishu for even, Hybridbox for odd), a node and a tenant of its own, writes in turn. */
    private Callable<List<Ack>> writer(int i) {
        MailroomServer node = nodes.get((i / 2) % nodes.size());
        String tenant = (i / 4) % 2 == 0 ? "acme" : "globex";
        return () -> {
            List<Ack> acks = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                if (i % 2 == 0) acks.addAll(feishuWrites(node, tenant, "w" + i + "-" + k));
                else acks.add(hybridboxWrite(node, tenant, "hb" + i + "k" + k));
            }
            return acks;
        };
    }

    private static void assertSeenExactlyOnce(List<JsonNode> entries, List<Ack> acks) {
        List<Ack> seen = entries.stream().map(e -> seen(e, e.at("/actor/kind").asText().equals("feishu_app"))).toList();
        assertThat(seen).as("every acknowledged write once, and nothing else").containsExactlyInAnyOrderElementsOf(acks);
    }

    private static List<Long> seqs(List<JsonNode> entries) {
        return entries.stream().map(e -> e.get("seq").asLong()).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aConsumerLongPollingWhile32WritersWriteThroughBothDoorsSeesEveryAcknowledgedChangeOnceInOrderAndResumesAcrossARestart(
            Backend backend) throws Exception {
        MailroomServer.Options options = TestServers.options(backend, dir).withAdminTokenFile(dir.resolve("admin-token"));
        startNodes(options, backend == Backend.POSTGRESQL ? 2 : 1);
        MailroomServer first = nodes.getFirst();
        MailroomServer last = nodes.getLast();
        long start = first.directory().journal().lastSeq();
        AtomicLong end = new AtomicLong(Long.MAX_VALUE);

        // Small pages, so that the consumers page and wait many times while the writers write.
        CompletableFuture<List<JsonNode>> everything = CompletableFuture.supplyAsync(() -> consume(first, start, "", 7, end));
        CompletableFuture<List<JsonNode>> globexOnly = CompletableFuture.supplyAsync(() -> consume(last, start, "&tenant=globex", 5, end));
        List<Callable<List<Ack>>> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) writers.add(writer(i));
        List<List<Ack>> perWriter = Together.run(writers);
        end.set(first.directory().journal().lastSeq());

        List<JsonNode> entries = everything.get(CONSUMER_DEADLINE_MILLIS + 10_000, TimeUnit.MILLISECONDS);
        List<Ack> acks = perWriter.stream().flatMap(List::stream).toList();
        assertThat(acks).hasSize(16 * 6 + 16 * 3);
        assertThat(seqs(entries)).as("strictly increasing and contiguous")
                .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, end.get()).boxed().toList());
        assertSeenExactlyOnce(entries, acks);
        // In order: what one writer had acknowledged before its next write has the lower sequence number.
        for (List<Ack> own : perWriter) {
            List<Ack> inFeed = entries.stream().map(e -> seen(e, e.at("/actor/kind").asText().equals("feishu_app")))
                    .filter(own::contains).toList();
            assertThat(inFeed).containsExactlyElementsOf(own);
        }
        List<JsonNode> globex = globexOnly.get(CONSUMER_DEADLINE_MILLIS + 10_000, TimeUnit.MILLISECONDS);
        assertThat(globex).as("the tenant's consumer sees exactly its tenant's part, in the same order")
                .containsExactlyElementsOf(entries.stream().filter(e -> e.get("tenant").asText().equals("globex")).toList());
        assertThat(globex).hasSize(acks.stream().filter(a -> a.tenant().equals("globex")).toList().size());

        // Saved position; more writes before every node stops and after they start again on the same store.
        long saved = end.get();
        List<Ack> later = new ArrayList<>(feishuWrites(first, "acme", "before-restart"));
        later.add(hybridboxWrite(last, "globex", "beforerestart"));
        stopNodes();
        startNodes(options, backend == Backend.POSTGRESQL ? 2 : 1);
        later.add(hybridboxWrite(nodes.getFirst(), "acme", "afterrestart"));
        later.addAll(feishuWrites(nodes.getLast(), "globex", "after-restart"));

        JsonNode resumed = changes(nodes.getLast(), "?after=" + saved + "&limit=1000").json();
        List<JsonNode> items = new ArrayList<>();
        resumed.get("items").forEach(items::add);
        assertThat(seqs(items)).containsExactlyElementsOf(LongStream.rangeClosed(saved + 1, saved + later.size()).boxed().toList());
        assertSeenExactlyOnce(items, later);
        assertThat(resumed.get("next_after").asLong()).isEqualTo(saved + later.size());
    }
}
