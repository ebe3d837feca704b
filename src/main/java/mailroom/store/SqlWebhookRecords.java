package mailroom.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import mailroom.directory.Records.WebhookRecords;
import mailroom.directory.webhook.Webhook;
import mailroom.directory.webhook.WebhookDelivery;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** The webhook and webhook_delivery tables (V14). */
final class SqlWebhookRecords implements WebhookRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final Handle h;

    SqlWebhookRecords(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(Webhook w) {
        h.createUpdate("""
                INSERT INTO webhook (id, tenant_key, url, events, description, secret, previous_secret, previous_until,
                                     enabled, disabled_reason, failing_since, cursor_seq, created_at, updated_at)
                VALUES (:id, :tenant, :url, :events, :description, :secret, :previous, :previousUntil,
                        :enabled, :reason, :failing, :cursor, :created, :updated)""")
                .bind("id", w.id()).bind("tenant", w.tenantKey()).bind("url", w.url()).bind("events", json(w.events()))
                .bind("description", w.description()).bind("secret", w.secret()).bind("previous", w.previousSecret())
                .bind("previousUntil", w.previousUntil()).bind("enabled", w.enabled()).bind("reason", w.disabledReason())
                .bind("failing", w.failingSince()).bind("cursor", w.cursorSeq()).bind("created", w.createdAt())
                .bind("updated", w.updatedAt()).execute();
    }

    @Override
    public void update(Webhook w, boolean enabledChanged) {
        h.createUpdate("""
                UPDATE webhook SET url = :url, events = :events, description = :description, secret = :secret,
                       previous_secret = :previous, previous_until = :previousUntil, updated_at = :updated"""
                        + (enabledChanged ? ", enabled = :enabled, disabled_reason = :reason" : "") + " WHERE id = :id")
                .bind("id", w.id()).bind("url", w.url()).bind("events", json(w.events()))
                .bind("description", w.description()).bind("secret", w.secret()).bind("previous", w.previousSecret())
                .bind("previousUntil", w.previousUntil()).bind("enabled", w.enabled()).bind("reason", w.disabledReason())
                .bind("updated", w.updatedAt()).execute();
    }

    @Override
    public Optional<Webhook> byId(String id) {
        return h.createQuery("SELECT * FROM webhook WHERE id = :id").bind("id", id).map((rs, c) -> webhook(rs)).findOne();
    }

    @Override
    public List<Webhook> ofTenant(String tenantKey) {
        return h.createQuery("SELECT * FROM webhook WHERE tenant_key = :t ORDER BY id").bind("t", tenantKey)
                .map((rs, c) -> webhook(rs)).list();
    }

    @Override
    public void delete(String id) {
        // Said, not left to the foreign key's cascade: the rows go the same way on both databases.
        h.createUpdate("DELETE FROM webhook_delivery WHERE webhook_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM webhook WHERE id = :id").bind("id", id).execute();
    }

    @Override
    public List<String> claimable(long now) {
        return h.createQuery("""
                SELECT id FROM webhook WHERE enabled = :yes AND (lease_owner IS NULL OR lease_until < :now) ORDER BY id""")
                .bind("yes", true).bind("now", now).mapTo(String.class).list();
    }

    @Override
    public boolean claim(String id, String owner, long now, long until) {
        return h.createUpdate("""
                UPDATE webhook SET lease_owner = :owner, lease_until = :until
                WHERE id = :id AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until < :now)""")
                .bind("id", id).bind("owner", owner).bind("now", now).bind("until", until).execute() == 1;
    }

    @Override
    public void release(String id, String owner) {
        h.createUpdate("UPDATE webhook SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner")
                .bind("id", id).bind("owner", owner).execute();
    }

    @Override
    public boolean advance(String id, String owner, long cursorSeq) {
        return h.createUpdate("""
                UPDATE webhook SET cursor_seq = CASE WHEN cursor_seq > :cursor THEN cursor_seq ELSE :cursor END
                WHERE id = :id AND lease_owner = :owner""")
                .bind("id", id).bind("owner", owner).bind("cursor", cursorSeq).execute() == 1;
    }

    @Override
    public void markFailing(String id, long since) {
        h.createUpdate("UPDATE webhook SET failing_since = :since WHERE id = :id AND failing_since IS NULL")
                .bind("id", id).bind("since", since).execute();
    }

    @Override
    public void markHealthy(String id) {
        h.createUpdate("UPDATE webhook SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL")
                .bind("id", id).execute();
    }

    @Override
    public void disable(String id, String reason, long at) {
        h.createUpdate("UPDATE webhook SET enabled = :no, disabled_reason = :reason, updated_at = :at WHERE id = :id")
                .bind("id", id).bind("no", false).bind("reason", reason).bind("at", at).execute();
    }

    @Override
    public void insertDeliveries(List<WebhookDelivery> deliveries) {
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO webhook_delivery (id, webhook_id, seq, event_type, status, attempts, last_status_code,
                                              last_error, last_attempt_at, next_attempt_at, created_at)
                VALUES (:id, :webhook, :seq, :type, :status, :attempts, :code, :error, :lastAt, :nextAt, :created)""");
        for (WebhookDelivery d : deliveries) {
            batch.bind("id", d.id()).bind("webhook", d.webhookId()).bind("seq", d.seq()).bind("type", d.eventType())
                    .bind("status", d.status().name()).bind("attempts", d.attempts()).bind("code", d.lastStatusCode())
                    .bind("error", d.lastError()).bind("lastAt", d.lastAttemptAt()).bind("nextAt", d.nextAttemptAt())
                    .bind("created", d.createdAt()).add();
        }
        batch.execute();
    }

    @Override
    public void updateDelivery(WebhookDelivery d) {
        h.createUpdate("""
                UPDATE webhook_delivery SET status = :status, attempts = :attempts, last_status_code = :code,
                       last_error = :error, last_attempt_at = :lastAt, next_attempt_at = :nextAt
                WHERE id = :id""")
                .bind("id", d.id()).bind("status", d.status().name()).bind("attempts", d.attempts())
                .bind("code", d.lastStatusCode()).bind("error", d.lastError()).bind("lastAt", d.lastAttemptAt())
                .bind("nextAt", d.nextAttemptAt()).execute();
    }

    @Override
    public boolean updateDelivery(WebhookDelivery d, WebhookDelivery attempted) {
        return h.createUpdate("""
                UPDATE webhook_delivery SET status = :status, attempts = :attempts, last_status_code = :code,
                       last_error = :error, last_attempt_at = :lastAt, next_attempt_at = :nextAt
                WHERE id = :id AND status = :wasStatus AND attempts = :wasAttempts
                  AND COALESCE(next_attempt_at, -1) = COALESCE(:wasNext, -1)""")
                .bind("id", d.id()).bind("status", d.status().name()).bind("attempts", d.attempts())
                .bind("code", d.lastStatusCode()).bind("error", d.lastError()).bind("lastAt", d.lastAttemptAt())
                .bind("nextAt", d.nextAttemptAt()).bind("wasStatus", attempted.status().name())
                .bind("wasAttempts", attempted.attempts()).bind("wasNext", attempted.nextAttemptAt()).execute() == 1;
    }

    @Override
    public Optional<WebhookDelivery> pendingHead(String webhookId) {
        return h.createQuery("""
                SELECT * FROM webhook_delivery WHERE webhook_id = :w AND status = 'PENDING' ORDER BY seq LIMIT 1""")
                .bind("w", webhookId).map((rs, c) -> delivery(rs)).findOne();
    }

    @Override
    public Optional<WebhookDelivery> delivery(String webhookId, String deliveryId) {
        return h.createQuery("SELECT * FROM webhook_delivery WHERE webhook_id = :w AND id = :id")
                .bind("w", webhookId).bind("id", deliveryId).map((rs, c) -> delivery(rs)).findOne();
    }

    @Override
    public List<WebhookDelivery> deliveries(String webhookId, Long beforeSeq, int limit) {
        Query q = h.createQuery("SELECT * FROM webhook_delivery WHERE webhook_id = :w"
                        + (beforeSeq == null ? "" : " AND seq < :before") + " ORDER BY seq DESC LIMIT :limit")
                .bind("w", webhookId).bind("limit", limit);
        if (beforeSeq != null) q.bind("before", beforeSeq);
        return q.map((rs, c) -> delivery(rs)).list();
    }

    @Override
    public long countPending() {
        return h.createQuery("SELECT COUNT(*) FROM webhook_delivery WHERE status = 'PENDING'").mapTo(Long.class).one();
    }

    @Override
    public long countDisabled() {
        return h.createQuery("SELECT COUNT(*) FROM webhook WHERE enabled = :no").bind("no", false).mapTo(Long.class).one();
    }

    @Override
    public int pruneDeliveries(long before, int batch) {
        return h.createUpdate("""
                DELETE FROM webhook_delivery WHERE id IN (
                    SELECT id FROM webhook_delivery WHERE created_at < :before AND status <> 'PENDING' LIMIT :batch)""")
                .bind("before", before).bind("batch", batch).execute();
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString("id"), rs.getString("tenant_key"), rs.getString("url"),
                strings(rs.getString("events")), rs.getString("description"), rs.getBoolean("enabled"),
                rs.getString("disabled_reason"), longOrNull(rs, "failing_since"), rs.getString("secret"),
                rs.getString("previous_secret"), longOrNull(rs, "previous_until"), rs.getLong("cursor_seq"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        int code = rs.getInt("last_status_code");
        Integer lastCode = rs.wasNull() ? null : code;
        return new WebhookDelivery(rs.getString("id"), rs.getString("webhook_id"), rs.getLong("seq"),
                rs.getString("event_type"), WebhookDelivery.Status.valueOf(rs.getString("status")), rs.getInt("attempts"),
                lastCode, rs.getString("last_error"), longOrNull(rs, "last_attempt_at"),
                longOrNull(rs, "next_attempt_at"), rs.getLong("created_at"));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static String json(List<String> events) {
        try {
            return JSON.writeValueAsString(events);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook's events", e);
        }
    }

    private static List<String> strings(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a webhook's events", e);
        }
    }
}
