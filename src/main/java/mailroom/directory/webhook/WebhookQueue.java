package mailroom.directory.webhook;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
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

    /** Takes or extends the lease on the webhook for {@code leaseMillis}; answers whether this node holds it. */
    public boolean claim(String id, String owner, long leaseMillis) {
        long now = clock.millis();
        return store.write(r -> r.webhooks().claim(id, owner, now, now + leaseMillis));
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

    /** What one round of deliveries did: new delivery rows, a changed one, and how the webhook fares. */
    public record Outcome(List<WebhookDelivery> inserted, WebhookDelivery updated, long cursorSeq, Health health,
                          String disabledReason) {}

    /** How the webhook fares after a round: a success, a failure, or failing for too long (disabled). */
    public enum Health { UNCHANGED, HEALTHY, FAILING, DISABLED }

    /** Records a round in one transaction, if this node still holds the lease; otherwise throws {@link LeaseLost}. */
    public void record(String webhookId, String owner, Outcome outcome) {
        long now = clock.millis();
        store.write(r -> {
            if (!r.webhooks().advance(webhookId, owner, outcome.cursorSeq())) throw new LeaseLost(webhookId);
            for (WebhookDelivery d : outcome.inserted()) r.webhooks().insertDelivery(d);
            if (outcome.updated() != null) r.webhooks().updateDelivery(outcome.updated());
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
