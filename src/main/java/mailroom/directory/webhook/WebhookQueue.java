package mailroom.directory.webhook;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Journal;

/**
 * What a node delivering webhooks asks of the directory and records in it: the enabled webhooks, a lease on
 * one (so that one node at a time delivers for it), the head of its queue, the next journal entries, and
 * each outcome with the cursor — recorded only while the lease is still this node's. None of it takes a
 * tenant lock or journals anything, so delivering never holds up a directory write.
 */
public final class WebhookQueue {
    private final DirectoryStore store;
    private final Journal journal;
    private final Clock clock;

    public WebhookQueue(DirectoryStore store, Journal journal, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.clock = clock;
    }

    /** Thrown when another node took the webhook over: what this node was about to record is rolled back. */
    public static final class LeaseLost extends RuntimeException {
        LeaseLost(String webhookId) {
            super("the lease on webhook " + webhookId + " went to another node", null, false, false);
        }
    }

    public long now() {
        return clock.millis();
    }

    /** Enabled webhooks no node holds a lease on. */
    public List<String> claimable() {
        long now = clock.millis();
        return store.read(r -> r.webhooks().claimable(now));
    }

    public Optional<Webhook> webhook(String id) {
        return store.read(r -> r.webhooks().byId(id));
    }

    /**
     * Takes or extends the lease on the webhook for {@code leaseMillis}; answers until when this node holds it
     * (the time written, taken before the write), or empty when another node does.
     */
    public OptionalLong claim(String id, String owner, long leaseMillis) {
        long now = clock.millis();
        long until = now + leaseMillis;
        return store.write(r -> r.webhooks().claim(id, owner, now, until)) ? OptionalLong.of(until) : OptionalLong.empty();
    }

    public void release(String id, String owner) {
        store.write(r -> {
            r.webhooks().release(id, owner);
            return null;
        });
    }

    public Optional<WebhookDelivery> head(String webhookId) {
        return store.read(r -> r.webhooks().pendingHead(webhookId));
    }

    /** The webhook's tenant's journal entries after {@code afterSeq}. */
    public Journal.Slice next(Webhook webhook, long afterSeq, int limit) {
        return journal.slice(afterSeq, limit, webhook.tenantKey());
    }

    /**
     * What one round of deliveries did: new delivery rows, a changed one (and that row as it was attempted), and how
     * the webhook fares.
     */
    public record Outcome(List<WebhookDelivery> inserted, WebhookDelivery updated, WebhookDelivery attempted, long cursorSeq,
                          Health health, String disabledReason) {
        /** Only the cursor moves. */
        public static Outcome cursor(long cursorSeq) {
            return new Outcome(List.of(), null, null, cursorSeq, Health.UNCHANGED, null);
        }

        /** New delivery rows and the cursor after them. */
        public static Outcome inserted(List<WebhookDelivery> rows, long cursorSeq, Health health, String disabledReason) {
            return new Outcome(List.copyOf(rows), null, null, cursorSeq, health, disabledReason);
        }
    }

    /** How the webhook fares after a round: a success, a failure, or failing for too long (disabled). */
    public enum Health { UNCHANGED, HEALTHY, FAILING, DISABLED }

    /** Records a round in one transaction, if this node still holds the lease; otherwise throws {@link LeaseLost}. */
    public void record(String webhookId, String owner, Outcome outcome) {
        long now = clock.millis();
        store.write(r -> {
            if (!r.webhooks().advance(webhookId, owner, outcome.cursorSeq())) throw new LeaseLost(webhookId);
            if (!outcome.inserted().isEmpty()) r.webhooks().insertDeliveries(outcome.inserted());
            // A redelivery the operator asked for meanwhile wins over this attempt's outcome.
            if (outcome.updated() != null) r.webhooks().updateDelivery(outcome.updated(), outcome.attempted());
            switch (outcome.health()) {
                case HEALTHY -> r.webhooks().markHealthy(webhookId);
                case FAILING -> r.webhooks().markFailing(webhookId, now);
                case DISABLED -> r.webhooks().disable(webhookId, outcome.disabledReason(), now);
                case UNCHANGED -> { }
            }
            return null;
        });
    }

    /** Deletes deliveries created before {@code before}, in batches; answers how many went. */
    public int prune(long before, int batch) {
        return store.write(r -> r.webhooks().pruneDeliveries(before, batch));
    }

    public long pending() {
        return store.read(r -> r.webhooks().countPending());
    }

    public long disabled() {
        return store.read(r -> r.webhooks().countDisabled());
    }
}
