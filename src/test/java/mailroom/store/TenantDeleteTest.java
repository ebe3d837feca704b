package mailroom.store;

import static mailroom.store.CountedRows.assertCountersMatchRows;
import static mailroom.store.CountedRows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Reason;
import mailroom.directory.tenant.TenantLifecycle;
import mailroom.directory.webhook.WebhookDelivery;
import mailroom.directory.webhook.WebhookQueue;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deleting a tenant: refused while it holds data, unless forced; forced, every row of the tenant goes in one
 * transaction (counters included), the other tenants keep every row, the journal keeps the tenant's history,
 * and its domains and addresses can be taken again at once.
 */
class TenantDeleteTest {
    /** Every table with a tenant_key column that holds the tenant's own data (the journal keeps its history). */
    private static final List<String> TENANT_TABLES = List.of("address", "app", "department", "domain", "mail_group",
            "person", "public_mailbox", "service_account", "tenant", "tenant_rate_limit", "user_mailbox", "webhook");

    @AutoClose
    DirectoryStore store;

    private Map<String, Long> rowsOf(String tenant) {
        Map<String, Long> out = new TreeMap<>();
        for (String table : TENANT_TABLES) out.put(table, rows(store, table, "tenant_key = ?", tenant));
        out.put("mail_group_member", rows(store, "mail_group_member",
                "mail_group_id IN (SELECT id FROM mail_group WHERE tenant_key = ?)", tenant));
        out.put("public_mailbox_member", rows(store, "public_mailbox_member",
                "public_mailbox_id IN (SELECT id FROM public_mailbox WHERE tenant_key = ?)", tenant));
        out.put("webhook_delivery", rows(store, "webhook_delivery",
                "webhook_id IN (SELECT id FROM webhook WHERE tenant_key = ?)", tenant));
        out.put("person_department", rows(store, "person_department",
                "person_id IN (SELECT id FROM person WHERE tenant_key = ?)", tenant));
        return out;
    }

    /** A webhook of the tenant with one delivery recorded, as a node delivering for it records one. */
    private static void withWebhookAndDelivery(Directory directory, String tenant) {
        String id = directory.webhooks().create(new Caller(tenant, Caller.ActorKind.OPERATOR, "op-1", "req-0"),
                "http://127.0.0.1:9/hook", List.of("*"), null).webhook().id();
        WebhookQueue queue = directory.webhookQueue();
        assertThat(queue.claim(id, "node-test", 60_000)).isPresent();
        long now = queue.now();
        queue.record(id, "node-test", WebhookQueue.Outcome.inserted(List.of(new WebhookDelivery(WebhookDelivery.idOf(id, 1), id, 1,
                "mail_group.created", WebhookDelivery.Status.SUCCEEDED, 1, 200, null, now, null, now)), 1,
                WebhookQueue.Health.HEALTHY, null));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aForcedDeleteRemovesEveryRowOfTheTenantAndNothingOfAnyOther(Backend backend) throws Exception {
        store = TestServers.openStore(backend);
        Directory directory = TestServers.seededDirectory(store, Clock.systemUTC());
        RandomWrites writes = new RandomWrites(store, directory, 11);
        for (int i = 0; i < 300; i++) writes.step();
        for (String tenant : List.of("acme", "tiny")) withWebhookAndDelivery(directory, tenant);
        Map<String, Long> acme = rowsOf("acme");
        Map<String, Long> tiny = rowsOf("tiny");
        assertThat(acme.values().stream().filter(n -> n > 0).count()).as("acme holds rows in most tables: %s", acme)
                .isGreaterThanOrEqualTo(8);
        Caller operator = new Caller("acme", Caller.ActorKind.OPERATOR, "op-1", "req-1");
        TenantLifecycle lifecycle = directory.tenantLifecycle();

        assertThatThrownBy(() -> lifecycle.delete(operator, "acme", false)).isInstanceOfSatisfying(DirectoryException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TENANT_NOT_EMPTY));
        assertThat(rowsOf("acme")).as("a refused delete changes nothing").isEqualTo(acme);

        long seqBefore = directory.journal().lastSeq();
        lifecycle.delete(operator, "acme", true);

        assertThat(rowsOf("acme").values()).as("no row of acme is left").containsOnly(0L);
        assertThat(rowsOf("tiny")).as("tiny keeps every row").isEqualTo(tiny);
        assertCountersMatchRows(store, "after the forced delete");
        List<Change.Entry> journalled = directory.journal().after(seqBefore, 10);
        assertThat(journalled).singleElement().satisfies(e -> {
            assertThat(e.change().objectKind()).isEqualTo(Change.ObjectKind.TENANT);
            assertThat(e.change().op()).isEqualTo(Change.Op.DELETE);
            assertThat(e.change().caller()).isEqualTo(operator);
        });
        assertThat(rows(store, "change_log", "tenant_key = ?", "acme")).as("the history stays").isGreaterThan(100);

        lifecycle.create(operator, new TenantLifecycle.NewTenant("acme", "Acme again", List.of("acme.test"), null, null, null));
        assertThat(directory.tenants().domains("acme")).extracting(d -> d.name()).containsExactly("acme.test");
    }
}
